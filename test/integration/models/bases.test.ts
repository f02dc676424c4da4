/**
 * Real bundled bases (nsfwjs MobileNetV2 / InceptionV3) on the wasm backend: summary totals against
 * tfjs's own counts, frozen-base training, freezing controls, inner-layer features.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../../main/engine/training/wasm-setup';
import { lockBatchNormInference } from '../../../main/engine/training/frozen-batchnorm';
import {
  applyFreeze,
  assembleModel,
  buildHead,
  extractFeatures,
  groupBlocks,
  loadBase,
  scalePixels,
  summarize,
} from '../../../main/engine/models';
import { featuresOfFiles, writeFeatures } from '../../../main/engine/models/feature-files';
import { innerModel } from '../../../main/engine/models/features';
import { readNpy } from '../../../main/engine/models/io/feature-files';
import type { HeadSpec } from '../../../shared/layer-spec';

const size = (ws: readonly { shape: (number | null)[] }[]) =>
  ws.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);

let work = '';
let images: string[] = [];

beforeAll(async () => {
  await useWasmBackend();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-bases-'));
  // Three real PNG files: different colour gradients, one of them not square.
  images = await Promise.all(
    [
      [255, 0, 0],
      [0, 128, 255],
      [40, 200, 40],
    ].map(async ([r, g, b], i) => {
      const w = i === 2 ? 320 : 240;
      const raw = Buffer.alloc(w * 240 * 3);
      for (let p = 0; p < w * 240; p++) {
        const t = (p % w) / w;
        raw.set([r! * t, g! * (1 - t), (b! + p) % 256], p * 3);
      }
      const file = path.join(work, `img${i}.png`);
      await sharp(raw, { raw: { width: w, height: 240, channels: 3 } })
        .png()
        .toFile(file);
      return file;
    }),
  );
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const heads: HeadSpec[] = [
  { layers: [] },
  {
    layers: [
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'dropout', rate: 0.2 },
    ],
  },
  {
    layers: [
      { kind: 'batchNormalization' },
      { kind: 'dense', units: 64, activation: 'gelu', name: 'fc' },
      { kind: 'activation', activation: 'tanh' },
    ],
  },
];

function expectTotalsMatchTfjs(model: tf.LayersModel): void {
  const summary = summarize(model);
  expect(summary.totalParams).toBe(model.countParams());
  expect(summary.trainableParams).toBe(size(model.trainableWeights));
  expect(summary.nonTrainableParams).toBe(size(model.nonTrainableWeights));
  expect(summary.rows.map((r) => r.name)).toEqual(model.layers.map((l) => l.name));
}

describe('bundled MobileNetV2', () => {
  it('loads offline, cut at its pooled 1280-d feature, and frees every tensor on dispose', async () => {
    const baseline = tf.memory().numTensors;
    const base = await loadBase('nsfwjs-mobilenet-v2', { cacheDir: work });
    expect(base.model.outputs[0]!.shape).toEqual([null, 1280]);
    expect(base.model.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
    expect(base.model.layers.some((l) => l.name === 'dense_3')).toBe(false);
    expect(base.info.description).toMatch(/nsfwjs/);
    base.model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('summary totals equal tfjs counts for several heads and freeze policies', async () => {
    for (const [i, head] of heads.entries()) {
      const base = await loadBase('nsfwjs-mobilenet-v2', { cacheDir: work });
      const freeze = [
        { mode: 'all' as const },
        { mode: 'topBlocks' as const, n: 2 },
        { mode: 'topLayers' as const, n: 5, layers: { Conv1: true } },
      ][i]!;
      const model = assembleModel(base.model, buildHead(head, [1280], 5), freeze);
      expectTotalsMatchTfjs(model);
      const summary = summarize(model);
      if (i === 0) {
        expect(summary.nonTrainableParams).toBe(2_257_984); // Keras MobileNetV2 (alpha 1.0) without top
        expect(summary.trainableParams).toBe(1280 * 5 + 5);
      }
      if (i === 1) {
        const unfrozen = summary.rows.filter((r) => r.part === 'base' && r.trainable).map((r) => r.name);
        expect(unfrozen[0]).toBe('block_15_expand');
        expect(unfrozen).toContain('Conv_1_bn');
      }
      if (i === 2) {
        const unfrozen = summary.rows.filter((r) => r.part === 'base' && r.trainable).map((r) => r.name);
        expect(unfrozen).toEqual([
          'Conv1',
          'block_16_depthwise_BN',
          'block_16_project',
          'block_16_project_BN',
          'Conv_1',
          'Conv_1_bn',
        ]);
      }
      model.dispose();
    }
  });

  it('groups MobileNetV2 layers into blocks by their block_k prefix', async () => {
    const base = await loadBase('nsfwjs-mobilenet-v2', { cacheDir: work });
    const blocks = groupBlocks(base.model.layers);
    expect(blocks.map((b) => b.name)).toEqual([
      'stem',
      'block_0',
      ...Array.from({ length: 16 }, (_, k) => `block_${k + 1}`),
    ]);
    expect(blocks.at(-1)!.layers).toContain('out_relu');
    base.model.dispose();
  });

  it('a frozen base keeps every weight after a training step while the head changes', async () => {
    const base = await loadBase('nsfwjs-mobilenet-v2', { cacheDir: work });
    const model = assembleModel(base.model, buildHead(heads[1]!, [1280], 3));
    lockBatchNormInference(base.model); // Keras keeps a frozen base's BatchNormalization in inference mode
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const snapshot = (layers: tf.layers.Layer[]) =>
      layers.flatMap((l) => l.getWeights().map((w) => w.dataSync().slice()));
    const baseLayers = base.model.layers;
    const headLayers = model.layers.filter((l) => !baseLayers.includes(l));
    const baseBefore = snapshot(baseLayers);
    const headBefore = snapshot(headLayers);
    const { data } = await featuresOfFiles(base, images.slice(0, 1)); // warm path via real decoding
    expect(data.length).toBe(1280);
    const pixels = new Uint8Array(2 * 224 * 224 * 3).map((_, i) => (i * 31) % 256);
    const x = scalePixels(pixels, base.info);
    const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    tf.dispose([x, y]);
    const baseAfter = snapshot(baseLayers);
    expect(baseAfter.every((w, i) => w.every((v, j) => v === baseBefore[i]![j]))).toBe(true);
    const headAfter = snapshot(headLayers);
    expect(headAfter.some((w, i) => w.some((v, j) => v !== headBefore[i]![j]))).toBe(true);
    model.dispose();
  });

  it('features of an inner layer have the right shape and equal a direct tfjs call; .npy round-trips', async () => {
    const baseline = tf.memory().numTensors;
    const base = await loadBase('nsfwjs-mobilenet-v2', { cacheDir: work });
    const { data, shape } = await featuresOfFiles(base, images, { layer: 'block_16_project', batchSize: 2 });
    expect(shape).toEqual([3, 7, 7, 320]);
    // Direct tfjs: decode the same way, Keras-style sub-model, predict.
    const pixels = await Promise.all(
      images.map((f) => sharp(f).resize(224, 224, { fit: 'cover' }).removeAlpha().raw().toBuffer()),
    );
    const x = scalePixels(new Uint8Array(Buffer.concat(pixels)), base.info);
    const direct = tf.model({
      inputs: base.model.inputs,
      outputs: base.model.getLayer('block_16_project').output as tf.SymbolicTensor,
    });
    const expected = direct.predict(x) as tf.Tensor;
    const want = expected.dataSync();
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(want[i]! - data[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    const [viaCall] = await extractFeatures(innerModel(base.model, ['block_16_project']), undefined, x, {
      batchSize: 2,
    });
    expect(Array.from(viaCall!.dataSync())).toEqual(Array.from(want));
    tf.dispose([x, expected, viaCall!]);

    const npy = path.join(work, 'f.npy');
    await writeFeatures(npy, images, data, shape);
    const read = await readNpy(npy);
    expect(read.shape).toEqual([3, 7, 7, 320]);
    expect(read.data).toEqual(data);
    const csv = path.join(work, 'f.csv');
    await writeFeatures(csv, images, data, shape);
    const lines = (await fs.readFile(csv, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.split(',')).toHaveLength(1 + 7 * 7 * 320);
    base.model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('bundled InceptionV3', () => {
  it('summary totals equal tfjs counts (counted, not run)', async () => {
    const base = await loadBase('nsfwjs-inception-v3', { cacheDir: work });
    expect(base.model.outputs[0]!.shape).toEqual([null, 2048]);
    expect(base.model.inputs[0]!.shape).toEqual([null, 299, 299, 3]);
    const model = assembleModel(base.model, buildHead(heads[1]!, [2048], 4));
    expectTotalsMatchTfjs(model);
    expect(summarize(model).nonTrainableParams).toBe(21_802_784); // Keras InceptionV3 without top
    applyFreeze(model, { mode: 'topLayers', n: 3 });
    expectTotalsMatchTfjs(model);
    model.dispose();
  });
});
