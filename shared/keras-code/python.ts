/**
 * Python literals for generated Keras code: strings, numbers, booleans, lists. Pure (no node imports), so the
 * renderer and the engine generate the same text.
 */

/** A Python string literal (double quotes, JSON escapes are valid Python escapes). */
export function pyStr(text: string): string {
  return JSON.stringify(text);
}

/** A Python number literal: JavaScript's shortest form (0.001, 1e-7) is valid Python. */
export function pyNum(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Cannot write ${String(value)} as a Python number.`);
  return String(value);
}

/** `True` / `False`. */
export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** A Python value from JSON-like data: null → None, arrays → lists, objects → dicts. */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'number') return pyNum(value);
  if (typeof value === 'boolean') return pyBool(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyStr(k)}: ${pyValue(v)}`)
    .join(', ')}}`;
}
