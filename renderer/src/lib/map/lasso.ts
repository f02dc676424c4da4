/**
 * Lasso selection: a free-hand polygon drawn on the map, and the points inside it (even-odd rule),
 * looking only at the hit index's candidates within the polygon's bounding box.
 */
import type { HitIndex } from './hit-index';
import type { Bounds, Point } from './view-transform';

/** True when (`x`, `y`) lies inside `polygon` (ray casting, even-odd; the closing edge is implied). */
export function pointInPolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** The bounding box of a polygon. */
export function polygonBounds(polygon: readonly Point[]): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of polygon) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { minX, minY, maxX, maxY };
}

/**
 * Indices of the points inside `polygon` (data units), ascending. A polygon of fewer than three
 * corners selects nothing.
 */
export function lassoSelect(
  polygon: readonly Point[],
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  index: HitIndex,
): number[] {
  if (polygon.length < 3) return [];
  return index
    .candidates(polygonBounds(polygon))
    .filter((i) => pointInPolygon(xs[i]!, ys[i]!, polygon))
    .sort((a, b) => a - b);
}

/**
 * Adds a lasso corner unless it is within `minStep` pixels of the last one (keeps the polygon small
 * while the mouse moves). Returns whether it was added.
 * @param minStep pixels between kept corners. Default: 3.
 */
export function addCorner(polygon: Point[], point: Point, minStep = 3): boolean {
  const last = polygon.at(-1);
  if (last && Math.hypot(point.x - last.x, point.y - last.y) < minStep) return false;
  polygon.push(point);
  return true;
}
