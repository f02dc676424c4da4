import { describe, expect, it } from 'vitest';
import { niceTicks, xEndOf, type ChartSeries } from '../../../../renderer/src/lib/chart-scale';

const line = (points: { x: number; y: number }[]): ChartSeries => ({ id: 'l', label: 'l', color: 'red', points });

describe('niceTicks', () => {
  it('gives round steps from at or below min to at or above max', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(0.13, 0.91, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 3, 3)).toEqual([0, 1, 2, 3]);
  });

  it('widens an empty range and refuses non-finite ends', () => {
    expect(niceTicks(2, 2, 1)).toEqual([2, 3]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe('xEndOf', () => {
  it('is the planned epochs when the data fits in them', () => {
    expect(
      xEndOf(20, [
        line([
          { x: 1, y: 0.5 },
          { x: 2, y: 0.4 },
        ]),
      ]),
    ).toBe(20);
  });

  it('never collapses below the last point (the run saving says no epochs: xMax 0 or 1)', () => {
    const series = [
      line([
        { x: 1, y: 0.5 },
        { x: 2, y: 0.4 },
        { x: 3, y: 0.3 },
      ]),
      line([{ x: 2.75, y: 0.2 }]),
    ];
    expect(xEndOf(1, series)).toBe(3);
    expect(xEndOf(0, series)).toBe(3);
    expect(xEndOf(Number.NaN, [line([{ x: 2.25, y: 1 }])])).toBe(3);
  });

  it('is at least one epoch for an empty chart', () => {
    expect(xEndOf(0, [])).toBe(1);
  });
});
