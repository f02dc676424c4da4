/**
 * The map's dots written straight into pixels: one disc stamp (its pixel offsets, computed once per radius) copied
 * at every point, so a redraw of 20,000 points is a few hundred thousand array writes instead of 20,000 canvas
 * path operations (which software-rendered canvases draw slowly). Later points overwrite earlier ones, as paint does.
 */

/** The pixels to write: RGBA bytes, row-major (an ImageData or anything shaped like one). */
export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** `#rgb` / `#rrggbb` → [r, g, b], or undefined for anything else (e.g. a named colour). */
export function parseHex(colour: string): [number, number, number] | undefined {
  const hex = colour.trim().replace(/^#/, '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return undefined;
  const value = Number.parseInt(full, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * A disc of radius `r` pixels as pixel offsets [dx, dy, dx, dy, …] and each pixel's coverage (0–1: edge pixels are
 * partly covered, which smooths the outline).
 */
export function discStamp(r: number): { offsets: Int16Array; coverage: Float32Array } {
  const reach = Math.ceil(r + 0.5);
  const offsets: number[] = [];
  const coverage: number[] = [];
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      const cover = Math.min(1, r + 0.5 - Math.hypot(dx, dy));
      if (cover <= 0) continue;
      offsets.push(dx, dy);
      coverage.push(cover);
    }
  }
  return { offsets: Int16Array.from(offsets), coverage: Float32Array.from(coverage) };
}

/** Fills every pixel with `colour` ([r, g, b], opaque). */
export function fill(pixels: Pixels, colour: readonly [number, number, number]): void {
  const words = new Uint32Array(pixels.data.buffer, pixels.data.byteOffset, pixels.width * pixels.height);
  words.fill(pack(colour));
}

/**
 * Stamps a disc of radius `r` pixels at each point (`px`, `py` in pixels) whose `colourOf` is ≥ 0, in the colour
 * `colours[colourOf[i]]`, blended over what is there with `alpha` (0–1). Points off the image are skipped.
 */
export function stampDots(
  pixels: Pixels,
  px: ArrayLike<number>,
  py: ArrayLike<number>,
  colourOf: ArrayLike<number>,
  colours: readonly (readonly [number, number, number])[],
  r: number,
  alpha: number,
): void {
  const { data, width, height } = pixels;
  const { offsets, coverage } = discStamp(r);
  for (let i = 0; i < px.length; i++) {
    const colour = colours[colourOf[i]!];
    if (!colour) continue;
    const cx = Math.round(px[i]!);
    const cy = Math.round(py[i]!);
    if (cx < -r - 1 || cy < -r - 1 || cx > width + r + 1 || cy > height + r + 1) continue;
    for (let k = 0; k < coverage.length; k++) {
      const x = cx + offsets[2 * k]!;
      const y = cy + offsets[2 * k + 1]!;
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const a = alpha * coverage[k]!;
      const at = (y * width + x) * 4;
      data[at] = colour[0] * a + data[at]! * (1 - a);
      data[at + 1] = colour[1] * a + data[at + 1]! * (1 - a);
      data[at + 2] = colour[2] * a + data[at + 2]! * (1 - a);
      data[at + 3] = 255;
    }
  }
}

/** [r, g, b] as one little-endian RGBA word, opaque. */
function pack([r, g, b]: readonly [number, number, number]): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}
