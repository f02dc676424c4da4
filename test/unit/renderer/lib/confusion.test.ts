import { describe, expect, it } from 'vitest';
import { cellShade, cellText, rowNormalised } from '../../../../renderer/src/lib/confusion';

const MATRIX = [
  [3, 1, 0],
  [0, 0, 0], // a class absent from the test set
  [2, 0, 2],
];

describe('confusion matrix view', () => {
  it('normalises each row by its total, leaving an empty row at 0', () => {
    expect(rowNormalised(MATRIX)).toEqual([
      [0.75, 0.25, 0],
      [0, 0, 0],
      [0.5, 0, 0.5],
    ]);
  });

  it('shades a cell by its share of the row and words counts or percentages', () => {
    expect(cellShade(MATRIX, 0, 0)).toBe(0.75);
    expect(cellShade(MATRIX, 1, 1)).toBe(0);
    expect(cellShade(MATRIX, 5, 0)).toBe(0);
    expect(cellText(3, false)).toBe('3');
    expect(cellText(0.666, true)).toBe('67%');
  });
});
