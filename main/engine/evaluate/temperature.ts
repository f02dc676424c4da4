/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): one scalar T > 0 that
 * divides the logits, softmax(z / T), fitted by minimising the negative log-likelihood on held-out images.
 * T > 1 softens an over-confident model, T < 1 sharpens an under-confident one; the arg-max (hence the
 * accuracy) never changes.
 *
 * Fitted on probabilities, not logits: the classifier ends in softmax, and log softmax(z) = z − logsumexp(z)
 * differs from the logits z only by a constant per row, which softmax ignores. So softmax(log p / T) equals
 * softmax(z / T) exactly (up to float rounding, and up to probabilities that underflowed to 0 in float32,
 * clamped here to {@link PROBABILITY_FLOOR}). The same identity undoes a temperature: softmax(T · log p_T) = p.
 *
 * Pure arithmetic on plain numbers (float64, no tensors), deterministic: a coarse scan of ln T over the bounds
 * brackets the minimum, then golden-section search narrows it.
 */
import { argMax } from './top-losses';
import { calibrationOf } from './calibration';

/** Smallest probability taken to the logarithm (float32's smallest normal is ≈ 1.18e-38). */
export const PROBABILITY_FLOOR = 1e-38;

/** Range T is searched in. Default of {@link fitTemperature}. */
export const TEMPERATURE_BOUNDS: readonly [number, number] = [0.05, 20];

/**
 * Weight λ of the log-normal prior on T, λ·(ln T)² added to the summed NLL (a Gaussian on ln T with σ = 0.5):
 * worth a handful of images, so it only matters on tiny validation sets — one with no mistakes would otherwise
 * drive T to the lower bound (any sharpening lowers its NLL) and make every later mistake near-certain.
 * Default of {@link fitTemperature}.
 */
export const TEMPERATURE_PRIOR = 2;

/** Probabilities of one row (in class order). */
export type ProbabilityRow = ArrayLike<number>;

/** softmax(log p / T) of one row of probabilities: the row at temperature T (T = 1 gives it back). */
export function temper(probabilities: ProbabilityRow, temperature: number): number[] {
  const n = probabilities.length;
  const scaled = new Array<number>(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    scaled[i] = Math.log(Math.max(probabilities[i]!, PROBABILITY_FLOOR)) / temperature;
    if (scaled[i]! > max) max = scaled[i]!;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = Math.exp(scaled[i]! - max);
    sum += scaled[i]!;
  }
  for (let i = 0; i < n; i++) scaled[i]! /= sum;
  return scaled;
}

/** The rows as log-probabilities (floored), computed once for the many evaluations of a fit. */
function logRows(rows: readonly ProbabilityRow[]): Float64Array[] {
  return rows.map((row) => Float64Array.from(row, (p) => Math.log(Math.max(p, PROBABILITY_FLOOR))));
}

/** Σ over rows of −log softmax(logp / T)[label]. */
function summedNll(logs: readonly Float64Array[], labels: ArrayLike<number>, temperature: number): number {
  let total = 0;
  logs.forEach((row, r) => {
    let max = -Infinity;
    for (const v of row) if (v / temperature > max) max = v / temperature;
    let sum = 0;
    for (const v of row) sum += Math.exp(v / temperature - max);
    total += max + Math.log(sum) - row[labels[r]!]! / temperature;
  });
  return total;
}

/**
 * Mean negative log-likelihood of the labels under the rows at temperature T.
 * @param temperature Default: 1 (the rows as they are).
 */
export function meanNll(rows: readonly ProbabilityRow[], labels: ArrayLike<number>, temperature = 1): number {
  return rows.length === 0 ? Number.NaN : summedNll(logRows(rows), labels, temperature) / rows.length;
}

/** Expected calibration error (10 bins) of the rows at temperature T; null without rows. */
export function eceAt(rows: readonly ProbabilityRow[], labels: ArrayLike<number>, temperature = 1): number | null {
  const tempered = rows.map((row) => (temperature === 1 ? Array.from(row) : temper(row, temperature)));
  const predicted = tempered.map((row) => argMax(row));
  return calibrationOf(
    tempered.map((row, i) => row[predicted[i]!]!),
    predicted.map((p, i) => p === labels[i]),
  ).ece;
}

export interface TemperatureOptions {
  /** Search range of T. Default: [0.05, 20] ({@link TEMPERATURE_BOUNDS}). */
  bounds?: readonly [number, number];
  /** λ of the prior λ·(ln T)² (0: plain NLL). Default: 2 ({@link TEMPERATURE_PRIOR}). */
  prior?: number;
  /** Width in ln T at which the search stops. Default: 1e-7. */
  tolerance?: number;
}

/** A fitted temperature and what it did to the rows it was fitted on. */
export interface TemperatureFit {
  temperature: number;
  /** Mean NLL at T = 1 and at the fitted T. */
  nllBefore: number;
  nllAfter: number;
  /** ECE (10 bins) at T = 1 and at the fitted T; null without rows. */
  eceBefore: number | null;
  eceAfter: number | null;
  /** Rows fitted on. */
  count: number;
}

/** Points of the coarse scan of ln T before the golden-section search. */
const SCAN_POINTS = 49;

/**
 * Fits T on `rows` (probabilities, one row per image) and their `labels` (class indices). The objective
 * Σ NLL + λ(ln T)² is 0 at T = 1 for the prior, so the fitted T never has a higher NLL than T = 1 (when the
 * search finds nothing better, T = 1 is kept). Without rows T = 1.
 * @throws RangeError quoting a label outside the rows' classes or a row count that differs from the labels'.
 */
export function fitTemperature(
  rows: readonly ProbabilityRow[],
  labels: ArrayLike<number>,
  options: TemperatureOptions = {},
): TemperatureFit {
  if (rows.length !== labels.length) {
    throw new RangeError(`Expected one label per row: received ${rows.length} rows and ${labels.length} labels.`);
  }
  rows.forEach((row, r) => {
    const label = labels[r]!;
    if (!Number.isInteger(label) || label < 0 || label >= row.length) {
      throw new RangeError(`Row ${r}: expected a label in 0..${row.length - 1}, received ${JSON.stringify(label)}.`);
    }
  });
  const [low, high] = options.bounds ?? TEMPERATURE_BOUNDS;
  const prior = options.prior ?? TEMPERATURE_PRIOR;
  const tolerance = options.tolerance ?? 1e-7;
  const logs = logRows(rows);
  const objective = (u: number) => summedNll(logs, labels, Math.exp(u)) + prior * u * u;
  let best = 0;
  if (rows.length > 0) {
    // Coarse scan: brackets the lowest point even if the objective is not unimodal in ln T.
    const a = Math.log(low);
    const b = Math.log(high);
    const step = (b - a) / (SCAN_POINTS - 1);
    let at = 0;
    let lowest = Infinity;
    for (let k = 0; k < SCAN_POINTS; k++) {
      const value = objective(a + k * step);
      if (value < lowest) [lowest, at] = [value, k];
    }
    // Golden-section search inside the bracket around the lowest scanned point.
    let left = a + Math.max(0, at - 1) * step;
    let right = a + Math.min(SCAN_POINTS - 1, at + 1) * step;
    const ratio = (Math.sqrt(5) - 1) / 2;
    let x1 = right - ratio * (right - left);
    let x2 = left + ratio * (right - left);
    let f1 = objective(x1);
    let f2 = objective(x2);
    while (right - left > tolerance) {
      if (f1 <= f2) {
        [right, x2, f2] = [x2, x1, f1];
        x1 = right - ratio * (right - left);
        f1 = objective(x1);
      } else {
        [left, x1, f1] = [x1, x2, f2];
        x2 = left + ratio * (right - left);
        f2 = objective(x2);
      }
    }
    const u = (left + right) / 2;
    best = objective(u) < objective(0) ? u : 0;
  }
  const temperature = Math.exp(best);
  const n = rows.length;
  return {
    temperature,
    nllBefore: n === 0 ? Number.NaN : summedNll(logs, labels, 1) / n,
    nllAfter: n === 0 ? Number.NaN : summedNll(logs, labels, temperature) / n,
    eceBefore: eceAt(rows, labels, 1),
    eceAfter: eceAt(rows, labels, temperature),
    count: n,
  };
}
