/**
 * The map's view: data coordinates (the embedding's x, y) to canvas pixels and back, fitted to the
 * points, zoomed about a pixel (the wheel) and panned by a pixel delta (a drag). Pure values, no DOM.
 */

/** Canvas pixel = data × scale + offset (y grows downwards on screen, so `flipped` data y goes up). */
export interface View {
  scale: number;
  offsetX: number;
  offsetY: number;
}

/** A point in canvas pixels or data units. */
export interface Point {
  x: number;
  y: number;
}

/** Bounds of data points. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Smallest and largest zoom relative to the fitted view. */
export const ZOOM_LIMITS = { min: 0.5, max: 200 } as const;

/** The bounds of the points (a unit box around the origin when there are none). */
export function boundsOf(xs: ArrayLike<number>, ys: ArrayLike<number>): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minX)) return { minX: -1, minY: -1, maxX: 1, maxY: 1 };
  return { minX, minY, maxX, maxY };
}

/**
 * The view that shows all of `bounds` centred in a `width` × `height` canvas with `margin` pixels free
 * on every side, the same scale on both axes.
 * @param margin pixels kept free around the points. Default: 16.
 */
export function fitView(bounds: Bounds, width: number, height: number, margin = 16): View {
  const spanX = Math.max(bounds.maxX - bounds.minX, 1e-9);
  const spanY = Math.max(bounds.maxY - bounds.minY, 1e-9);
  const scale = Math.max(1e-9, Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY));
  const centreX = (bounds.minX + bounds.maxX) / 2;
  const centreY = (bounds.minY + bounds.maxY) / 2;
  return { scale, offsetX: width / 2 - centreX * scale, offsetY: height / 2 - centreY * scale };
}

/** Data → canvas pixels. */
export function toScreen(view: View, x: number, y: number): Point {
  return { x: x * view.scale + view.offsetX, y: y * view.scale + view.offsetY };
}

/** Canvas pixels → data. */
export function toData(view: View, px: number, py: number): Point {
  return { x: (px - view.offsetX) / view.scale, y: (py - view.offsetY) / view.scale };
}

/**
 * Zooms by `factor` keeping the data point under pixel (`px`, `py`) in place; the scale stays within
 * `fitted.scale` × {@link ZOOM_LIMITS}.
 */
export function zoomAt(view: View, fitted: View, px: number, py: number, factor: number): View {
  const scale = Math.min(fitted.scale * ZOOM_LIMITS.max, Math.max(fitted.scale * ZOOM_LIMITS.min, view.scale * factor));
  const anchor = toData(view, px, py);
  return { scale, offsetX: px - anchor.x * scale, offsetY: py - anchor.y * scale };
}

/** Moves the view by (`dx`, `dy`) pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy };
}

/** The wheel's zoom factor for a `deltaY` in pixels (about ×1.1 per notch of 100 px). */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.001);
}
