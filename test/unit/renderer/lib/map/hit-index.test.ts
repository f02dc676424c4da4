import { describe, expect, it } from 'vitest';
import { HitIndex } from '../../../../../renderer/src/lib/map/hit-index';
import { boundsOf } from '../../../../../renderer/src/lib/map/view-transform';
import { createRandom } from '../../../../../main/engine/random';

function nearestByScan(xs: Float64Array, ys: Float64Array, x: number, y: number, radius: number): number {
  let best = -1;
  let bestD2 = radius * radius;
  for (let i = 0; i < xs.length; i++) {
    const d2 = (xs[i]! - x) ** 2 + (ys[i]! - y) ** 2;
    if (d2 < bestD2 || (d2 === bestD2 && i > best)) {
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}

describe('HitIndex', () => {
  it('finds the same nearest point as a linear scan, for 20,000 clustered points', () => {
    const rand = createRandom(7);
    const n = 20_000;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const cluster = i % 5;
      xs[i] = cluster * 10 + (rand() - 0.5) * 4;
      ys[i] = (cluster % 2) * 8 + (rand() - 0.5) * 4;
    }
    const index = new HitIndex(xs, ys, boundsOf(xs, ys));
    let hits = 0;
    for (let q = 0; q < 500; q++) {
      const x = rand() * 50 - 5;
      const y = rand() * 16 - 4;
      const expected = nearestByScan(xs, ys, x, y, 0.3);
      expect(index.nearest(x, y, 0.3)).toBe(expected);
      if (expected >= 0) hits++;
    }
    expect(hits).toBeGreaterThan(50);
  });

  it('answers -1 away from every point and with no points', () => {
    const index = new HitIndex([0, 1], [0, 1], boundsOf([0, 1], [0, 1]));
    expect(index.nearest(5, 5, 0.5)).toBe(-1);
    expect(index.nearest(0.9, 1.1, 0.5)).toBe(1);
    expect(new HitIndex([], [], boundsOf([], [])).nearest(0, 0, 1)).toBe(-1);
  });

  it('prefers the point drawn last among equals (all points at one place)', () => {
    const xs = [2, 2, 2];
    const ys = [3, 3, 3];
    expect(new HitIndex(xs, ys, boundsOf(xs, ys)).nearest(2, 3, 1)).toBe(2);
  });

  it('lists candidates of a box: every point inside is among them, far points are not', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 100; i++)
      for (let j = 0; j < 100; j++) {
        xs.push(i);
        ys.push(j);
      }
    const index = new HitIndex(xs, ys, boundsOf(xs, ys));
    const box = { minX: 10, minY: 20, maxX: 14, maxY: 22 };
    const found = new Set(index.candidates(box));
    const inside = xs.map((_, i) => i).filter((i) => xs[i]! >= 10 && xs[i]! <= 14 && ys[i]! >= 20 && ys[i]! <= 22);
    expect(inside).toHaveLength(15);
    for (const i of inside) expect(found.has(i)).toBe(true);
    expect(found.size).toBeLessThan(200);
  });
});
