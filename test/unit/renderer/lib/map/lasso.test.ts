import { describe, expect, it } from 'vitest';
import { HitIndex } from '../../../../../renderer/src/lib/map/hit-index';
import { addCorner, lassoSelect, pointInPolygon, polygonBounds } from '../../../../../renderer/src/lib/map/lasso';
import { boundsOf } from '../../../../../renderer/src/lib/map/view-transform';

const square = [
  { x: 0, y: 0 },
  { x: 10, y: 0 },
  { x: 10, y: 10 },
  { x: 0, y: 10 },
];
/** A "C": the notch between x 3–10, y 3–7 is outside. */
const concave = [
  { x: 0, y: 0 },
  { x: 10, y: 0 },
  { x: 10, y: 3 },
  { x: 3, y: 3 },
  { x: 3, y: 7 },
  { x: 10, y: 7 },
  { x: 10, y: 10 },
  { x: 0, y: 10 },
];

describe('lasso', () => {
  it('tells inside from outside of a square', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true);
    expect(pointInPolygon(0.01, 9.99, square)).toBe(true);
    expect(pointInPolygon(-1, 5, square)).toBe(false);
    expect(pointInPolygon(5, 11, square)).toBe(false);
  });

  it('handles a concave polygon: the notch is outside', () => {
    expect(pointInPolygon(1, 5, concave)).toBe(true);
    expect(pointInPolygon(6, 5, concave)).toBe(false);
    expect(pointInPolygon(6, 1.5, concave)).toBe(true);
    expect(pointInPolygon(6, 8.5, concave)).toBe(true);
  });

  it('selects exactly the points inside, ascending, through the hit index', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i <= 20; i++)
      for (let j = 0; j <= 20; j++) {
        xs.push(i + 0.5);
        ys.push(j + 0.5);
      }
    const index = new HitIndex(xs, ys, boundsOf(xs, ys));
    const selected = lassoSelect(concave, xs, ys, index);
    const expected = xs.map((_, i) => i).filter((i) => pointInPolygon(xs[i]!, ys[i]!, concave));
    expect(selected).toEqual(expected);
    // 10 × 10 cells minus the 7 × 4 notch (x 3.5–9.5, y 3.5–6.5).
    expect(selected).toHaveLength(100 - 28);
  });

  it('selects nothing with fewer than three corners', () => {
    const index = new HitIndex([1], [1], boundsOf([1], [1]));
    expect(lassoSelect(square.slice(0, 2), [1], [1], index)).toEqual([]);
  });

  it('bounds a polygon and thins corners closer than the step', () => {
    expect(polygonBounds(concave)).toEqual({ minX: 0, minY: 0, maxX: 10, maxY: 10 });
    const corners = [{ x: 0, y: 0 }];
    expect(addCorner(corners, { x: 1, y: 1 })).toBe(false);
    expect(addCorner(corners, { x: 3, y: 1 })).toBe(true);
    expect(corners).toHaveLength(2);
  });
});
