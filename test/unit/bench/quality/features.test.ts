import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BaseInfo } from '../../../../shared/contract/models';
import { preprocessImage } from '../../../../main/engine/data/preprocess';
import { sha256 } from '../../../../main/engine/data/hash';
import type { LoadedBase } from '../../../../main/engine/models/bases/registry';
import { backendReady } from '../../../../main/engine/runtime';
import {
  extractMatrix,
  joinColumns,
  mirror,
  selectParts,
  tapBase,
  type FeatureMatrix,
} from '../../../../bench/quality/features';
import type { BenchImage } from '../../../../bench/quality/images';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-quality-features-'));
let base: LoadedBase;
const images: BenchImage[] = [];

beforeAll(async () => {
  await backendReady();
  const input = tf.input({ shape: [16, 16, 3] });
  const c1 = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' })
    .apply(input);
  const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, activation: 'relu', name: 'c2' }).apply(c1);
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(c2) as tf.SymbolicTensor;
  const info = { id: 'tiny-test-base', inputSize: 16, scaling: 'x/255', featureSize: 6 } as BaseInfo;
  base = { model: tf.model({ inputs: input, outputs: pooled }), info };
  for (let i = 0; i < 3; i++) {
    const file = path.join(tmp, `${i}.png`);
    // A left-right gradient (mirroring changes it) with a per-image tint.
    const raw = Buffer.alloc(16 * 16 * 3);
    for (let p = 0; p < 256; p++) raw.set([(p % 16) * 16, 40 * i, 255 - (p % 16) * 10], p * 3);
    await sharp(raw, { raw: { width: 16, height: 16, channels: 3 } })
      .png()
      .toFile(file);
    images.push({ path: file, hash: sha256(String(i)), label: i % 2 });
  }
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** tfjs reference: the tapped model on the same preprocessed (optionally mirrored) pixels. */
async function reference(model: tf.LayersModel, flip: boolean): Promise<Float32Array> {
  const rows: Uint8Array[] = [];
  for (const image of images) {
    const rgb = await preprocessImage(image.path, { size: 16 });
    rows.push(flip ? mirror(rgb) : rgb.data);
  }
  const pixels = new Float32Array(rows.length * 16 * 16 * 3);
  rows.forEach((r, i) =>
    pixels.set(
      Float32Array.from(r, (v) => v / 255),
      i * r.length,
    ),
  );
  const out = tf.tidy(() => model.predict(tf.tensor4d(pixels, [rows.length, 16, 16, 3])) as tf.Tensor);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

describe('multi-layer features through ONNX Runtime', () => {
  it('taps inner layers: pooled c1 then the base feature, as tfjs computes them; cached on disk', async () => {
    const tapped = tapBase(base, ['c1']);
    expect(tapped.parts).toEqual([
      { layer: 'c1', offset: 0, dim: 4 },
      { layer: 'feature', offset: 4, dim: 6 },
    ]);
    const options = { tapped, images, variant: { kind: 'plain' } as const, cacheDir: tmp, setKey: 'unit' };
    const m = await extractMatrix(options);
    expect([m.rows, m.dim]).toEqual([3, 10]);
    const expected = await reference(tapped.model, false);
    m.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    expect(m.seconds).toBeGreaterThan(0);
    const again = await extractMatrix(options);
    expect(again.seconds).toBe(m.seconds); // read back with the time it took
    expect(Array.from(again.data)).toEqual(Array.from(m.data));
  });

  it('extracts mirrored images (flip TTA) and augmented ones, each its own cache entry', async () => {
    const tapped = tapBase(base, []);
    const flipped = await extractMatrix({ tapped, images, variant: { kind: 'flip' }, cacheDir: tmp, setKey: 'unit' });
    const expected = await reference(tapped.model, true);
    flipped.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    const plain = await reference(tapped.model, false);
    expect(Math.max(...plain.map((v, i) => Math.abs(v - expected[i]!)))).toBeGreaterThan(1e-3);
    const augmented = await extractMatrix({
      tapped,
      images,
      variant: { kind: 'augment', index: 1, seed: 1 },
      cacheDir: tmp,
      setKey: 'unit',
    });
    expect(Array.from(augmented.data)).not.toEqual(Array.from(plain));
  });

  it('names a missing or non-spatial layer', () => {
    expect(() => tapBase(base, ['nope'])).toThrow(/tiny-test-base has no layer "nope"/);
    expect(() => tapBase(base, ['pool'])).toThrow(/"pool" is not spatial/);
  });

  it('mirrors pixels left-right', () => {
    const image = { width: 2, height: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(Array.from(mirror(image))).toEqual([4, 5, 6, 1, 2, 3]);
  });

  it('selects and joins columns', () => {
    const m: FeatureMatrix = {
      rows: 2,
      dim: 3,
      data: Float32Array.from([1, 2, 3, 4, 5, 6]),
      parts: [
        { layer: 'a', offset: 0, dim: 1 },
        { layer: 'feature', offset: 1, dim: 2 },
      ],
      seconds: 2,
    };
    const feature = selectParts(m, ['feature']);
    expect(Array.from(feature.data)).toEqual([2, 3, 5, 6]);
    expect(feature.parts).toEqual([{ layer: 'feature', offset: 0, dim: 2 }]);
    expect(() => selectParts(m, ['b'])).toThrow(/"b"/);
    const joined = joinColumns([feature, selectParts(m, ['a'])]);
    expect(Array.from(joined.data)).toEqual([2, 3, 1, 5, 6, 4]);
    expect(joined.seconds).toBe(4);
    expect(joined.parts.map((p) => p.offset)).toEqual([0, 2]);
  });
});
