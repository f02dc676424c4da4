import { AugmentOptions, type AugmentOptionsInput } from '../../../shared/contract/data';
import { createRandom } from '../random';
import { sha256 } from './hash';
import type { RgbImage } from './preprocess';

export type ResolvedAugmentOptions = ReturnType<typeof AugmentOptions.parse>;

/** A 32-bit seed for one augmented variant of one image: stable across runs and processes. */
export function augmentSeed(contentHash: string, variant: number, seed = 0): number {
  return parseInt(sha256(`${seed}:${variant}:${contentHash}`).slice(0, 8), 16);
}

/** The random draws of one augmentation (exposed for tests and previews). */
export interface AugmentParams {
  flip: boolean;
  angleRad: number;
  zoom: number;
  /** Crop centre offset as a fraction of width/height. */
  shiftX: number;
  shiftY: number;
  brightness: number;
  contrast: number;
  saturation: number;
  noise: number;
}

/** Draws the parameters of one augmentation from the seed. */
export function drawAugmentParams(options: ResolvedAugmentOptions, seed: number): AugmentParams {
  const rng = createRandom(seed);
  const symmetric = (limit: number) => (rng() * 2 - 1) * limit;
  const zoom = 1 + rng() * options.zoom;
  const slack = (1 - 1 / zoom) / 2;
  return {
    flip: options.flip && rng() < 0.5,
    angleRad: (symmetric(options.rotation) * Math.PI) / 180,
    zoom,
    shiftX: symmetric(slack),
    shiftY: symmetric(slack),
    brightness: symmetric(options.brightness) * 255,
    contrast: 1 + symmetric(options.contrast),
    saturation: 1 + symmetric(options.saturation),
    noise: options.noise,
  };
}

function reflect(value: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  let v = Math.abs(value) % period;
  if (v > size - 1) v = period - v;
  return v;
}

/**
 * Augments raw RGB pixels, deterministically for a seed: horizontal flip, rotation, zoom with a
 * random crop position (one bilinear resample, reflected edges — Keras's default fill), then
 * brightness, contrast (around the image mean), saturation (around luma) and Gaussian noise.
 * Returns a new image of the same size; the input is not changed.
 */
export function augment(image: RgbImage, optionsInput: AugmentOptionsInput = {}, seed = 0): RgbImage {
  const options = AugmentOptions.parse(optionsInput);
  const p = drawAugmentParams(options, seed);
  const { width, height, data } = image;
  const geometric = new Float32Array(width * height * 3);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(-p.angleRad);
  const sin = Math.sin(-p.angleRad);
  const offX = p.shiftX * width;
  const offY = p.shiftY * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Output → source: undo zoom, rotation, then flip, then move to the crop centre.
      let dx = (x - cx) / p.zoom;
      const dy = (y - cy) / p.zoom;
      let sx = cos * dx - sin * dy;
      const sy = sin * dx + cos * dy;
      if (p.flip) sx = -sx;
      dx = reflect(sx + cx + offX, width);
      const ry = reflect(sy + cy + offY, height);
      const x0 = Math.floor(dx);
      const y0 = Math.floor(ry);
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const fx = dx - x0;
      const fy = ry - y0;
      const o = (y * width + x) * 3;
      const a = (y0 * width + x0) * 3;
      const b = (y0 * width + x1) * 3;
      const c = (y1 * width + x0) * 3;
      const d = (y1 * width + x1) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = data[a + ch]! + (data[b + ch]! - data[a + ch]!) * fx;
        const bottom = data[c + ch]! + (data[d + ch]! - data[c + ch]!) * fx;
        geometric[o + ch] = top + (bottom - top) * fy;
      }
    }
  }
  let sum = 0;
  for (let i = 0; i < geometric.length; i++) sum += geometric[i]!;
  const mean = sum / geometric.length;
  const rng = createRandom(seed ^ 0x9e3779b9);
  const gaussian = () => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
  const out = new Uint8Array(data.length);
  for (let i = 0; i < geometric.length; i += 3) {
    let r = geometric[i]!;
    let g = geometric[i + 1]!;
    let b = geometric[i + 2]!;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    r = luma + (r - luma) * p.saturation;
    g = luma + (g - luma) * p.saturation;
    b = luma + (b - luma) * p.saturation;
    r = (r - mean) * p.contrast + mean + p.brightness;
    g = (g - mean) * p.contrast + mean + p.brightness;
    b = (b - mean) * p.contrast + mean + p.brightness;
    if (p.noise > 0) {
      r += gaussian() * p.noise;
      g += gaussian() * p.noise;
      b += gaussian() * p.noise;
    }
    out[i] = clamp(r);
    out[i + 1] = clamp(g);
    out[i + 2] = clamp(b);
  }
  return { data: out, width, height };
}

function clamp(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}
