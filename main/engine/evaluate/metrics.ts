/**
 * Classification metrics from a confusion matrix: accuracy with its Wilson 95% interval, and per class
 * precision, recall, F1 and support with macro and weighted averages.
 *
 * Undefined values are null, never NaN: the precision of a class never predicted (0/0), the recall of a
 * class absent from the images (support 0), and the F1 of a class in neither. The averages follow
 * scikit-learn's defaults (`zero_division=0`): `macro` is the plain mean over the classes present in the
 * images or in the predictions, a null counted as 0; `weighted` weighs each class by its support, so a
 * class absent from the images does not count.
 */
import type { AveragedMetrics, ClassMetrics, Interval } from '../../../shared/contract/evaluate';

/** z of a two-sided 95% normal interval. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval of a proportion `successes / n` (Wilson 1927), clamped to [0, 1].
 * @returns null when n is 0 (no interval without observations).
 */
export function wilsonInterval(successes: number, n: number, z = Z_95, level = 0.95): Interval | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), level, method: 'wilson' };
}

/** Correct predictions (the trace) and images (the sum) of a confusion matrix. */
export function matrixTotals(matrix: readonly (readonly number[])[]): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  matrix.forEach((row, i) => {
    correct += row[i] ?? 0;
    for (const count of row) total += count;
  });
  return { correct, total };
}

/** Fraction predicted right; null when the matrix is empty. */
export function accuracyOf(matrix: readonly (readonly number[])[]): number | null {
  const { correct, total } = matrixTotals(matrix);
  return total === 0 ? null : correct / total;
}

/** Precision, recall, F1, support and predicted count of every class (rows: actual, columns: predicted). */
export function classMetrics(matrix: readonly (readonly number[])[], classes: readonly string[]): ClassMetrics[] {
  return classes.map((name, k) => {
    const tp = matrix[k]?.[k] ?? 0;
    const support = (matrix[k] ?? []).reduce((sum, count) => sum + count, 0);
    const predicted = matrix.reduce((sum, row) => sum + (row[k] ?? 0), 0);
    const fn = support - tp;
    const fp = predicted - tp;
    const f1Denominator = 2 * tp + fp + fn;
    return {
      name,
      precision: predicted === 0 ? null : tp / predicted,
      recall: support === 0 ? null : tp / support,
      f1: f1Denominator === 0 ? null : (2 * tp) / f1Denominator,
      support,
      predicted,
    };
  });
}

type MetricName = keyof AveragedMetrics;
const METRICS: MetricName[] = ['precision', 'recall', 'f1'];

/** Macro average (see the file comment); all null when no class is present. */
export function macroAverage(perClass: readonly ClassMetrics[]): AveragedMetrics {
  const present = perClass.filter((c) => c.support > 0 || c.predicted > 0);
  const average = (metric: MetricName) =>
    present.length === 0 ? null : present.reduce((sum, c) => sum + (c[metric] ?? 0), 0) / present.length;
  return Object.fromEntries(METRICS.map((m) => [m, average(m)])) as AveragedMetrics;
}

/** Support-weighted average (see the file comment); all null when nothing was evaluated. */
export function weightedAverage(perClass: readonly ClassMetrics[]): AveragedMetrics {
  const total = perClass.reduce((sum, c) => sum + c.support, 0);
  const average = (metric: MetricName) =>
    total === 0 ? null : perClass.reduce((sum, c) => sum + c.support * (c[metric] ?? 0), 0) / total;
  return Object.fromEntries(METRICS.map((m) => [m, average(m)])) as AveragedMetrics;
}
