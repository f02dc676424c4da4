/**
 * The map as CSV (RFC 4180): a header `path,label,x,y` and one row per image. A field holding a comma, a double
 * quote, a line break or leading/trailing spaces is quoted, its quotes doubled; numbers are written in full.
 */
import type { InsightResult } from '../../../shared/contract/insight';

/** One CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The CSV text of an insight's map (CRLF line ends, as RFC 4180 asks).
 * @throws Error when the insight has no map (computed with `map: false`).
 */
export function mapCsv(result: Pick<InsightResult, 'images' | 'map'>): string {
  if (!result.map) throw new Error('This insight has no map: it was computed with `map: false`.');
  const { x, y } = result.map;
  const rows = result.images.map(
    (image, i) => `${csvField(image.path)},${csvField(image.label)},${String(x[i])},${String(y[i])}`,
  );
  return `${['path,label,x,y', ...rows].join('\r\n')}\r\n`;
}
