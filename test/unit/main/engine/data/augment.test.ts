import { describe, expect, it } from 'vitest';
import { augment, augmentSeed, drawAugmentParams } from '../../../../../main/engine/data/augment';
import { AugmentOptions } from '../../../../../shared/contract/data';
import type { RgbImage } from '../../../../../main/engine/data/preprocess';
import { noiseRaw } from '../../../../fixtures/generated';

const image: RgbImage = { data: new Uint8Array(noiseRaw(32, 24, 9)), width: 32, height: 24 };
const none = { flip: false, rotation: 0, zoom: 0, brightness: 0, contrast: 0, saturation: 0, noise: 0 };

describe('augment', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = augment(image, {}, 42);
    const b = augment(image, {}, 42);
    const c = augment(image, {}, 43);
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(c.data))).not.toBe(0);
    expect([a.width, a.height, a.data.length]).toEqual([32, 24, 32 * 24 * 3]);
  });

  it('with every augmentation off returns the input unchanged', () => {
    const out = augment(image, none, 5);
    expect(Buffer.compare(Buffer.from(out.data), Buffer.from(image.data))).toBe(0);
  });

  it('flip mirrors exactly', () => {
    const seed = [...Array(50).keys()].find(
      (s) => drawAugmentParams(AugmentOptions.parse({ ...none, flip: true }), s).flip,
    )!;
    const out = augment(image, { ...none, flip: true }, seed);
    for (const [x, y] of [
      [0, 0],
      [5, 7],
      [31, 23],
    ] as const) {
      const o = (y * 32 + x) * 3;
      const m = (y * 32 + (31 - x)) * 3;
      expect([...out.data.subarray(o, o + 3)]).toEqual([...image.data.subarray(m, m + 3)]);
    }
  });

  it('brightness shifts the mean within the configured range; noise adds spread', () => {
    const flat: RgbImage = { data: new Uint8Array(32 * 32 * 3).fill(128), width: 32, height: 32 };
    for (let seed = 0; seed < 10; seed++) {
      const out = augment(flat, { ...none, brightness: 0.2 }, seed);
      const mean = out.data.reduce((s, v) => s + v, 0) / out.data.length;
      expect(Math.abs(mean - 128)).toBeLessThanOrEqual(0.2 * 255 + 1);
    }
    const noisy = augment(flat, { ...none, noise: 10 }, 1);
    const variance = noisy.data.reduce((s, v) => s + (v - 128) ** 2, 0) / noisy.data.length;
    expect(Math.sqrt(variance)).toBeGreaterThan(7);
    expect(Math.sqrt(variance)).toBeLessThan(13);
  });

  it('per-image variant seeds are stable and distinct', () => {
    expect(augmentSeed('ab', 0, 1)).toBe(augmentSeed('ab', 0, 1));
    expect(new Set([0, 1, 2, 3].map((v) => augmentSeed('ab', v, 1))).size).toBe(4);
  });
});
