/**
 * Draws the embedding map on a 2D canvas: the dots written as pixels (dot-layer.ts; one path per class colour
 * when a colour is not hex), left-out images hollow and grey, then finding markers on top — a ring for a possible
 * mislabel, a diamond for an outlier, a square for a near-duplicate — then the selection, the hovered point and
 * the lasso.
 */
import { FLAG } from '../insight/findings';
import { fill, parseHex, stampDots } from './dot-layer';
import type { Point, View } from './view-transform';

/** What to draw; arrays are aligned with the images. */
export interface MapScene {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** Class index per image (its colour). */
  classOf: ArrayLike<number>;
  /** {@link FLAG} bits per image. */
  flags: ArrayLike<number>;
  /** 1 where the image is left out. */
  out: ArrayLike<number>;
  /** 1 where the image is selected. */
  selected: ArrayLike<number>;
  /** Colour per class index. */
  colours: readonly string[];
  /** Theme colours: finding markers, left-out points, selection, background. */
  theme: { marker: string; faint: string; accent: string; background: string };
  hovered: number;
  /** The lasso being drawn, in canvas pixels. */
  lasso: readonly Point[];
}

/** Radius of a point in CSS pixels: bigger for small maps, growing a little as the user zooms in. */
export function pointRadius(zoom: number, points: number): number {
  const base = points <= 500 ? 3.6 : points <= 5000 ? 2.8 : 2.2;
  return Math.min(7, base + Math.log2(Math.max(1, zoom)) * 0.8);
}

/**
 * Paints `scene` into `ctx` (already scaled for the device pixel ratio) at `view`, `width` × `height`
 * CSS pixels; `zoom` is the view's scale over the fitted one.
 */
export function drawMap(
  ctx: CanvasRenderingContext2D,
  scene: MapScene,
  view: View,
  width: number,
  height: number,
  zoom: number,
): void {
  const { xs, ys, classOf, flags, out, selected, colours, theme } = scene;
  const n = xs.length;
  const r = pointRadius(zoom, n);
  const sx = new Float32Array(n);
  const sy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    sx[i] = xs[i]! * view.scale + view.offsetX;
    sy[i] = ys[i]! * view.scale + view.offsetY;
  }
  const visible = (i: number) => sx[i]! > -8 && sx[i]! < width + 8 && sy[i]! > -8 && sy[i]! < height + 8;
  const background = parseHex(theme.background);
  const rgb = colours.map(parseHex);
  if (background && rgb.every((colour) => colour !== undefined)) {
    // Dots straight into pixels (fast even on a software canvas); the markers below stay vector.
    const dpr = ctx.getTransform().a || 1;
    const image = ctx.createImageData(Math.round(width * dpr), Math.round(height * dpr));
    fill(image, background);
    const px = sx.map((x) => x * dpr);
    const py = sy.map((y) => y * dpr);
    const colourOf = Int32Array.from({ length: n }, (_, i) => (out[i] ? -1 : classOf[i]!));
    stampDots(image, px, py, colourOf, rgb as [number, number, number][], r * dpr, 0.85);
    ctx.putImageData(image, 0, 0);
  } else {
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height);
    ctx.globalAlpha = 0.85;
    for (let k = 0; k < colours.length; k++) {
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (classOf[i] !== k || out[i] || !visible(i)) continue;
        ctx.moveTo(sx[i]! + r, sy[i]!);
        ctx.arc(sx[i]!, sy[i]!, r, 0, Math.PI * 2);
      }
      ctx.fillStyle = colours[k]!;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  // Left-out images: hollow grey.
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    if (!out[i] || !visible(i)) continue;
    ctx.moveTo(sx[i]! + r, sy[i]!);
    ctx.arc(sx[i]!, sy[i]!, r, 0, Math.PI * 2);
  }
  ctx.strokeStyle = theme.faint;
  ctx.lineWidth = 1;
  ctx.stroke();

  // Finding markers: shape tells the kind, so colour is not the only cue.
  const m = r + 3;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const f = flags[i]!;
    if (!f || !visible(i)) continue;
    const x = sx[i]!;
    const y = sy[i]!;
    if (f & FLAG.mislabel) {
      ctx.moveTo(x + m, y);
      ctx.arc(x, y, m, 0, Math.PI * 2);
    }
    if (f & FLAG.outlier) {
      ctx.moveTo(x, y - m - 1);
      ctx.lineTo(x + m + 1, y);
      ctx.lineTo(x, y + m + 1);
      ctx.lineTo(x - m - 1, y);
      ctx.closePath();
    }
    if (f & FLAG.duplicate) ctx.rect(x - m, y - m, 2 * m, 2 * m);
  }
  ctx.strokeStyle = theme.marker;
  ctx.lineWidth = 1.6;
  ctx.stroke();

  // Selection.
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    if (!selected[i] || !visible(i)) continue;
    ctx.moveTo(sx[i]! + r + 1.5, sy[i]!);
    ctx.arc(sx[i]!, sy[i]!, r + 1.5, 0, Math.PI * 2);
  }
  ctx.strokeStyle = theme.accent;
  ctx.lineWidth = 2;
  ctx.stroke();

  if (scene.hovered >= 0 && scene.hovered < n) {
    const i = scene.hovered;
    ctx.beginPath();
    ctx.arc(sx[i]!, sy[i]!, r + 4, 0, Math.PI * 2);
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }

  if (scene.lasso.length > 1) {
    ctx.beginPath();
    ctx.moveTo(scene.lasso[0]!.x, scene.lasso[0]!.y);
    for (const p of scene.lasso.slice(1)) ctx.lineTo(p.x, p.y);
    ctx.closePath();
    ctx.fillStyle = theme.accent;
    ctx.globalAlpha = 0.08;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = theme.accent;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
