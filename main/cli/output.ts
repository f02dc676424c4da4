import { isErrorData } from '../../shared/errors';

/** Prints exactly one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One line naming what went wrong, for stderr. */
export function errorLine(error: unknown): string {
  if (isErrorData(error)) return `transfer-studio: ${error.message}`;
  if (error instanceof Error) return `transfer-studio: ${error.message}`;
  return `transfer-studio: ${String(error)}`;
}

/** Formats bytes for humans: 1.5 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
