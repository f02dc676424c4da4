import { describe, expect, it } from 'vitest';
import {
  ZOOM_LIMITS,
  boundsOf,
  fitView,
  panBy,
  toData,
  toScreen,
  wheelFactor,
  zoomAt,
} from '../../../../../renderer/src/lib/map/view-transform';

describe('view transform', () => {
  const xs = [-2, 4, 1];
  const ys = [3, -1, 0];
  const bounds = boundsOf(xs, ys);

  it('bounds every point, and gives a unit box for none', () => {
    expect(bounds).toEqual({ minX: -2, minY: -1, maxX: 4, maxY: 3 });
    expect(boundsOf([], [])).toEqual({ minX: -1, minY: -1, maxX: 1, maxY: 1 });
  });

  it('fits every point inside the canvas with the margin, centred', () => {
    const view = fitView(bounds, 400, 300, 20);
    for (let i = 0; i < xs.length; i++) {
      const p = toScreen(view, xs[i]!, ys[i]!);
      expect(p.x).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(p.x).toBeLessThanOrEqual(380 + 1e-9);
      expect(p.y).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(p.y).toBeLessThanOrEqual(280 + 1e-9);
    }
    const centre = toScreen(view, 1, 1);
    expect(centre.x).toBeCloseTo(200);
    expect(centre.y).toBeCloseTo(150);
    // Width 6 in 360 px, height 4 in 260 px: the narrower fit (260 / 4 = 65 vs 60) wins.
    expect(view.scale).toBeCloseTo(60);
  });

  it('maps screen to data and back', () => {
    const view = fitView(bounds, 640, 480);
    const p = toScreen(view, 0.37, -0.9);
    const back = toData(view, p.x, p.y);
    expect(back.x).toBeCloseTo(0.37, 12);
    expect(back.y).toBeCloseTo(-0.9, 12);
  });

  it('zooms about the pointer: the data under it stays under it', () => {
    const fitted = fitView(bounds, 640, 480);
    const before = toData(fitted, 100, 50);
    const zoomed = zoomAt(fitted, fitted, 100, 50, 3);
    expect(zoomed.scale).toBeCloseTo(fitted.scale * 3);
    const after = toData(zoomed, 100, 50);
    expect(after.x).toBeCloseTo(before.x, 12);
    expect(after.y).toBeCloseTo(before.y, 12);
  });

  it('keeps the zoom within its limits', () => {
    const fitted = fitView(bounds, 640, 480);
    expect(zoomAt(fitted, fitted, 0, 0, 1e9).scale).toBeCloseTo(fitted.scale * ZOOM_LIMITS.max);
    expect(zoomAt(fitted, fitted, 0, 0, 1e-9).scale).toBeCloseTo(fitted.scale * ZOOM_LIMITS.min);
  });

  it('pans by pixels and turns wheel deltas into zoom factors', () => {
    const fitted = fitView(bounds, 640, 480);
    const moved = panBy(fitted, 30, -12);
    const p0 = toScreen(fitted, 1, 1);
    const p1 = toScreen(moved, 1, 1);
    expect(p1.x - p0.x).toBeCloseTo(30);
    expect(p1.y - p0.y).toBeCloseTo(-12);
    expect(wheelFactor(-100)).toBeGreaterThan(1);
    expect(wheelFactor(100)).toBeLessThan(1);
    expect(wheelFactor(100) * wheelFactor(-100)).toBeCloseTo(1);
  });
});
