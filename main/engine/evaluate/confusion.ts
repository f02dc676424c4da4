/** The confusion matrix (rows: actual class, columns: predicted class) and its most-confused pairs. */
import type { ConfusedPair } from '../../../shared/contract/evaluate';
import { StudioError, quote } from '../../../shared/errors';

/** Most pairs listed by {@link mostConfused}. Default limit. */
export const MOST_CONFUSED_LIMIT = 20;

/**
 * Counts `matrix[actual][predicted]`.
 * @throws StudioError INTERNAL when a label is outside 0..numClasses-1 (quoting it).
 */
export function confusionMatrix(
  actual: readonly number[],
  predicted: readonly number[],
  numClasses: number,
): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  actual.forEach((a, i) => {
    const p = predicted[i]!;
    if (!(a >= 0 && a < numClasses && p >= 0 && p < numClasses)) {
      throw new StudioError(
        'INTERNAL',
        `Label out of range 0..${numClasses - 1}: actual ${quote(a)}, predicted ${quote(p)}.`,
      );
    }
    matrix[a]![p]!++;
  });
  return matrix;
}

/**
 * Off-diagonal cells with a count, most images first; ties by actual then predicted index.
 * @param limit most pairs returned. Default: 20.
 */
export function mostConfused(matrix: readonly (readonly number[])[], limit = MOST_CONFUSED_LIMIT): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count > 0) pairs.push({ actual, predicted, count });
    }),
  );
  pairs.sort((a, b) => b.count - a.count || a.actual - b.actual || a.predicted - b.predicted);
  return pairs.slice(0, limit);
}
