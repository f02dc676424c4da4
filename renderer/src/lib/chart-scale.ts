/** The scales of the line charts: series, round tick values, and the x range that always holds the data. */

/** One line. Points with `x` in epochs (end of epoch k is x = k + 1). */
export interface ChartSeries {
  id: string;
  label: string;
  /** A CSS colour. */
  color: string;
  points: readonly { x: number; y: number }[];
  /** Draw dashed (validation). Default: false. */
  dashed?: boolean;
  /** Draw thin, without dots or tooltip (per-batch values). Default: false. */
  faint?: boolean;
}

/** About `count` round tick values, the first ≤ min and the last ≥ max. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) max = min + 1;
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  // From the last tick at or below min to the first at or above max, so the data always fits.
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(10)));
  return ticks;
}

/**
 * The end of the x axis: `xMax` (the epochs planned), but never less than 1 nor than the last point of
 * any series, rounded up to a whole epoch — so a caller that briefly knows no plan (e.g. while the run
 * saves) never squeezes the axis and draws the lines past the plot.
 */
export function xEndOf(xMax: number, series: readonly ChartSeries[]): number {
  let last = 0;
  for (const s of series) for (const p of s.points) if (Number.isFinite(p.x) && p.x > last) last = p.x;
  return Math.max(1, Number.isFinite(xMax) ? xMax : 0, Math.ceil(last - 1e-9));
}
