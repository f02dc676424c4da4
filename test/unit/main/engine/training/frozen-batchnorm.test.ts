/**
 * Keras-correct BatchNormalization: after fine-tuning with the base partly unfrozen, every base BN
 * layer's moving statistics are bit-identical; with the whole base frozen, base outputs on fixed
 * inputs do not change; and (control) plain tfjs does change them. Runs on wasm with the conv
 * gradient kernels, so it also shows a small conv net fine-tuning on wasm (loss drops).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import {
  allLayers,
  isBatchNormLocked,
  lockBatchNormInference,
  readMovingStatistics,
} from '../../../../../main/engine/training/frozen-batchnorm';
import { createRandom, withSeededRandomSync } from '../../../../../main/engine/training/seed';

const SIZE = 16;
const CLASSES = 3;

/** A MobileNet-like little base: conv → BN → relu6 → depthwise → BN → relu6 → 1×1 conv → BN → relu6 → GAP. */
function buildBase(): tf.LayersModel {
  return withSeededRandomSync(7, () => {
    const input = tf.input({ shape: [SIZE, SIZE, 3] });
    let x = tf.layers
      .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'b_conv1' })
      .apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'b_bn1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: 'b_relu1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'b_dw' })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'b_bn2' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: 'b_relu2' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false, name: 'b_conv2' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'b_bn3' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: 'b_relu3' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({ name: 'b_gap' }).apply(x) as tf.SymbolicTensor;
    const base = tf.model({ inputs: input, outputs: x, name: 'base' });
    // Pretend-pretrained moving statistics (not the 0/1 initial values), as in a real base.
    const random = createRandom(3);
    for (const layer of base.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      const [gamma, beta, mean] = layer.getWeights();
      const n = mean!.shape[0]!;
      const m = Float32Array.from({ length: n }, () => random() - 0.5);
      const v = Float32Array.from({ length: n }, () => 0.5 + random());
      const stats = [tf.tensor1d(m), tf.tensor1d(v)];
      layer.setWeights([gamma!, beta!, ...stats]);
      tf.dispose(stats);
    }
    return base;
  });
}

/** Base + Dense head as one model (the base nested as a layer, as assembleModel does). */
function withHead(base: tf.LayersModel): tf.LayersModel {
  return withSeededRandomSync(11, () => {
    const input = tf.input({ shape: [SIZE, SIZE, 3] });
    const features = base.apply(input) as tf.SymbolicTensor;
    const output = tf.layers
      .dense({ units: CLASSES, activation: 'softmax', name: 'head_out' })
      .apply(features) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: output });
  });
}

/** Three learnable classes: images dominated by red, green or blue. */
function dataset(n: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const random = createRandom(seed);
  const pixels = new Float32Array(n * SIZE * SIZE * 3);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % CLASSES;
    labels.push(label);
    for (let p = 0; p < SIZE * SIZE; p++) {
      for (let c = 0; c < 3; c++) pixels[(i * SIZE * SIZE + p) * 3 + c] = random() * 0.5 + (c === label ? 0.5 : 0);
    }
  }
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES) as tf.Tensor2D);
  return { xs: tf.tensor4d(pixels, [n, SIZE, SIZE, 3]), ys };
}

function weightValues(layer: tf.layers.Layer): Float32Array[] {
  return layer.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
}

function expectStatsIdentical(
  before: ReturnType<typeof readMovingStatistics>,
  after: ReturnType<typeof readMovingStatistics>,
): void {
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [name, stats] of before) {
    // Bit-identical: compare the raw bytes.
    expect(
      Buffer.from(after.get(name)!.mean.buffer).equals(Buffer.from(stats.mean.buffer)),
      `${name} moving_mean`,
    ).toBe(true);
    expect(
      Buffer.from(after.get(name)!.variance.buffer).equals(Buffer.from(stats.variance.buffer)),
      `${name} moving_variance`,
    ).toBe(true);
  }
}

async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, epochs = 15): Promise<number[]> {
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(xs, ys, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  return history.history.loss as number[];
}

describe('frozen BatchNormalization (Keras semantics)', () => {
  let baseline = 0;
  let data: { xs: tf.Tensor4D; ys: tf.Tensor2D };

  beforeAll(async () => {
    await useWasmBackend();
    baseline = tf.memory().numTensors;
    data = dataset(48, 1);
  });

  afterAll(() => {
    tf.dispose([data.xs, data.ys]);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('control: plain tfjs fit updates the moving statistics of non-trainable BN layers', async () => {
    const before = tf.memory().numTensors;
    const base = buildBase();
    base.trainable = false;
    const model = withHead(base);
    const stats = readMovingStatistics(base);
    await train(model, data.xs, data.ys, 1);
    const after = readMovingStatistics(base);
    const changed = [...stats].filter(
      ([name, s]) => !Buffer.from(after.get(name)!.mean.buffer).equals(Buffer.from(s.mean.buffer)),
    );
    expect(changed.length).toBe(3); // the tfjs pitfall this module fixes
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('after fine-tuning with the base partly unfrozen, every BN moving mean/variance is bit-identical, and loss drops on wasm', async () => {
    const before = tf.memory().numTensors;
    const base = buildBase();
    // Unfreeze the top block (b_conv2, b_bn3, relu, gap); freeze the rest.
    const top = new Set(['b_conv2', 'b_bn3', 'b_relu3', 'b_gap']);
    for (const layer of base.layers) layer.trainable = top.has(layer.name);
    expect(lockBatchNormInference(base)).toBe(3);
    expect(lockBatchNormInference(base)).toBe(0); // idempotent
    expect(
      allLayers(base)
        .filter(isBatchNormLocked)
        .map((l) => l.name),
    ).toEqual(['b_bn1', 'b_bn2', 'b_bn3']);
    const model = withHead(base);
    const stats = readMovingStatistics(base);
    const frozenConv = weightValues(base.getLayer('b_conv1'));
    const topConv = weightValues(base.getLayer('b_conv2'));
    const topGamma = weightValues(base.getLayer('b_bn3'))[0]!;

    const losses = await train(model, data.xs, data.ys);

    expectStatsIdentical(stats, readMovingStatistics(base));
    // Frozen weights did not move; unfrozen ones (conv and BN gamma) did: it really fine-tuned.
    expect(weightValues(base.getLayer('b_conv1'))).toEqual(frozenConv);
    expect(weightValues(base.getLayer('b_conv2'))).not.toEqual(topConv);
    expect(weightValues(base.getLayer('b_bn3'))[0]).not.toEqual(topGamma);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with the whole base frozen, base outputs on fixed inputs are unchanged after training the head', async () => {
    const before = tf.memory().numTensors;
    const base = buildBase();
    base.trainable = false;
    lockBatchNormInference(base);
    const model = withHead(base);
    const probeSet = dataset(6, 99);
    const probe = probeSet.xs;
    const outputOf = (mode: boolean) =>
      tf.tidy(() => (base.apply(probe, { training: mode }) as tf.Tensor).dataSync().slice());
    const outBefore = outputOf(false);
    // Fit runs every base layer with training: true; a locked BN must still normalise with moving statistics.
    const trainingMode = outputOf(true);
    expect(Buffer.from(trainingMode.buffer).equals(Buffer.from(outBefore.buffer))).toBe(true);

    const losses = await train(model, data.xs, data.ys, 3);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);

    const outAfter = outputOf(false);
    expect(Buffer.from(outAfter.buffer).equals(Buffer.from(outBefore.buffer))).toBe(true);
    tf.dispose([probeSet.xs, probeSet.ys]);
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
