/**
 * The stored outputs of the frozen prefix (prefix-activations.ts) on real Fashion-MNIST images through the bundled
 * MobileNetV2 cut below its top 2 blocks: with tfjs they equal `prefix.predict` on the same pixels exactly, with
 * ONNX Runtime within 1e-4 relative; a second store reuses the file; a damaged or truncated file is recomputed,
 * not trusted; augmented variants are phase 1's pictures and epochs cycle through them as documented.
 */
import { open, readdir, rm, truncate, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { augment, augmentSeed } from '../../../main/engine/data/augment';
import { sha256File } from '../../../main/engine/data/hash';
import { preprocessImage, resolvePreprocessOptions } from '../../../main/engine/data/preprocess';
import { applyFreeze } from '../../../main/engine/models/freeze';
import { loadBase, type LoadedBase } from '../../../main/engine/models/bases/registry';
import { scalePixels } from '../../../main/engine/models/scale';
import { backendReady } from '../../../main/engine/runtime';
import { activationBatches, variantOfEpoch } from '../../../main/engine/training/activation-batches';
import type { LabelledImage } from '../../../main/engine/training/extract';
import { lockBatchNormInference } from '../../../main/engine/training/frozen-batchnorm';
import { PrefixActivations } from '../../../main/engine/training/prefix-activations';
import { splitAtTrainable } from '../../../main/engine/training/split-trainable';

const SEED = 5;
const AUGMENT = { flip: true, rotation: 10 };
let tmp = '';
let base: LoadedBase;
let prefix: tf.LayersModel;
const images: LabelledImage[] = [];
const preprocess = () => resolvePreprocessOptions({ size: base.info.inputSize });

/** `prefix.predict` on the images' pixels (variant 0, or phase 1's augmented variant k), in one batch. */
async function predicted(variant: number): Promise<Float32Array> {
  const side = base.info.inputSize;
  const pixels = new Uint8Array(images.length * side * side * 3);
  for (const [j, image] of images.entries()) {
    const decoded = await preprocessImage(image.path, { size: side });
    const data = variant === 0 ? decoded.data : augment(decoded, AUGMENT, augmentSeed(image.hash, variant, SEED)).data;
    pixels.set(data, j * side * side * 3);
  }
  const out = tf.tidy(() => (prefix.predict(scalePixels(pixels, base.info)) as tf.Tensor).reshape([images.length, -1]));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

function store(root: string, engine: 'tfjs' | 'onnxruntime'): PrefixActivations {
  return new PrefixActivations({
    prefix,
    info: base.info,
    preprocess: preprocess(),
    augmentOptions: AUGMENT,
    seed: SEED,
    cacheRoot: root,
    engine,
    signal: new AbortController().signal,
  });
}

async function allRows(s: PrefixActivations, variant: number): Promise<Float32Array> {
  const file = await s.open(images, variant);
  const out = new Float32Array(images.length * s.dim);
  await file.read(Int32Array.from(images.keys()), out);
  return out;
}

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  expect((await backendReady()).name).toBe('wasm');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'prefix-activations-'));
  const dir = await fashionMnistFolders({ perClass: 6, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 600 });
  const classes = (await readdir(dir)).filter((c) => !c.startsWith('.')).sort();
  for (const [label, name] of classes.entries()) {
    for (const file of (await readdir(path.join(dir, name))).sort()) {
      const p = path.join(dir, name, file);
      images.push({ path: p, hash: await sha256File(p), label });
    }
  }
  base = await loadBase('nsfwjs-mobilenet-v2');
  applyFreeze(base.model, { mode: 'topBlocks', n: 2 });
  lockBatchNormInference(base.model.layers);
  prefix = splitAtTrainable(base.model).prefix!;
  expect(prefix.outputs[0]!.shape.slice(1)).toEqual([7, 7, 160]);
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('stored prefix activations', () => {
  it('tfjs: exactly prefix.predict; a second store reads the file instead of computing it', async () => {
    const before = tf.memory().numTensors;
    const root = path.join(tmp, 'tfjs');
    const first = store(root, 'tfjs');
    const rows = await allRows(first, 0);
    expect(first.computedRows).toBe(images.length);
    expect(Array.from(rows)).toEqual(Array.from(await predicted(0)));
    await first.close();
    const second = store(root, 'tfjs');
    expect(Array.from(await allRows(second, 0))).toEqual(Array.from(rows));
    expect(second.computedRows).toBe(0);
    await second.close();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('ONNX Runtime: prefix.predict within 1e-4 relative', async () => {
    const s = store(path.join(tmp, 'ort'), 'onnxruntime');
    const rows = await allRows(s, 0);
    const reference = await predicted(0);
    const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    let worst = 0;
    for (let i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(rows[i]! - reference[i]!));
    expect(scale).toBeGreaterThan(0);
    expect(worst / scale).toBeLessThan(1e-4);
    await s.close();
  }, 120_000);

  it('a damaged or truncated file is recomputed, not trusted', async () => {
    const root = path.join(tmp, 'damaged');
    const made = store(root, 'tfjs');
    const good = await allRows(made, 0);
    const file = made.fileOf(images, 0);
    await made.close();
    // One flipped byte in the middle of the body.
    const handle = await open(file, 'r+');
    const byte = Buffer.alloc(1);
    const at = 64 + Math.floor((images.length * made.dim * 4) / 2);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
    await handle.close();
    const afterFlip = store(root, 'tfjs');
    expect(Array.from(await allRows(afterFlip, 0))).toEqual(Array.from(good));
    expect(afterFlip.computedRows).toBe(images.length);
    await afterFlip.close();
    // Cut short.
    await truncate(file, 64 + made.dim * 4 * 3);
    const afterCut = store(root, 'tfjs');
    expect(Array.from(await allRows(afterCut, 0))).toEqual(Array.from(good));
    expect(afterCut.computedRows).toBe(images.length);
    await afterCut.close();
  }, 180_000);

  it('variant k is phase 1’s augmented picture k; epochs cycle through augment + 1 variants from the first', async () => {
    expect([3, 4, 5, 6, 7, 8, 9].map((e) => variantOfEpoch(e, 2, 3))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect([0, 1, 2].map((e) => variantOfEpoch(e))).toEqual([0, 0, 0]);
    const before = tf.memory().numTensors;
    const s = store(path.join(tmp, 'variants'), 'tfjs');
    const variant1 = await allRows(s, 1);
    expect(Array.from(variant1)).toEqual(Array.from(await predicted(1)));
    expect(Array.from(variant1)).not.toEqual(Array.from(await allRows(s, 0)));
    // Epoch 4 of a phase starting at 3 with augment 1 reads variant 1, in that epoch's seeded order.
    const computed = s.computedRows;
    const seen: number[] = [];
    const common = {
      store: s,
      images,
      numClasses: 3,
      batchSize: 8,
      labelSmoothing: 0,
      seed: SEED,
      augment: 1,
      firstEpoch: 3,
    };
    for await (const batch of activationBatches(common, 4)) {
      expect(batch.xs.shape.slice(1)).toEqual([7, 7, 160]);
      const xs = (await batch.xs.data()) as Float32Array;
      const ys = (await batch.ys.array()) as number[][];
      for (let j = 0; j < ys.length; j++) {
        const row = xs.subarray(j * s.dim, (j + 1) * s.dim);
        const index = [...images.keys()].find(
          (i) => variant1[i * s.dim] === row[0] && variant1[i * s.dim + 1234] === row[1234],
        )!;
        expect(images[index]!.label).toBe(ys[j]!.indexOf(1));
        seen.push(index);
      }
      tf.dispose([batch.xs, batch.ys]);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([...images.keys()]);
    expect(seen).not.toEqual([...images.keys()]);
    expect(s.computedRows).toBe(computed);
    await s.close();
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});
