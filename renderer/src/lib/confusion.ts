/** The confusion matrix in the Evaluate step: counts or row-normalised shares, and the colour of a cell. */

/** Each row divided by its total (0 for an empty row): the share of a true class predicted as each class. */
export function rowNormalised(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total > 0 ? count / total : 0));
  });
}

/**
 * How strongly a cell is shaded, 0..1: its share of the row (so a class with few images reads as
 * clearly as a large one). Diagonal cells are shaded in the "right" colour, others in the "wrong" one.
 */
export function cellShade(matrix: readonly (readonly number[])[], actual: number, predicted: number): number {
  const row = matrix[actual] ?? [];
  const total = row.reduce((sum, count) => sum + count, 0);
  return total > 0 ? (row[predicted] ?? 0) / total : 0;
}

/** A matrix value in words: a count, or a share as a whole percentage. */
export function cellText(value: number, normalised: boolean): string {
  return normalised ? `${Math.round(value * 100)}%` : String(value);
}
