/**
 * The fine-tuning speed-ups (pointwise Conv2DBackpropInput as a matmul on wasm, the FusedBatchNorm gradient
 * without Tile, the global AvgPool gradient as a broadcast) give the gradients tfjs's own code gives: checked
 * against the cpu backend with tfjs's stock kernels and gradients, through tf.grads of the real ops, and for tensor
 * leaks. Speed is measured by `npm run bench -- fine-tune-step`, not here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup.js';
import { isPointwiseBackpropInput } from '../../../../../main/engine/training/wasm-gradients/pointwise-backprop-input.js';
import { isGlobalPool, useGlobalPoolGradient } from '../../../../../main/engine/training/global-pool-gradient.js';
import { useBroadcastBatchNormGradient } from '../../../../../main/engine/training/batchnorm-gradient.js';
import { createRandom } from '../../../../../main/engine/random.js';

function values(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

/** max |a − b| / max |b| */
function relErr(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

/** Gradients of sum(f(inputs) · w) for a fixed random w, on `backend`, as plain arrays. */
async function gradsOn(
  backend: string,
  shapes: number[][],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const inputs = shapes.map((s, i) =>
    tf.tensor(
      values(
        s.reduce((p, d) => p * d, 1),
        10 + i,
      ),
      s,
    ),
  );
  const out = f(...inputs);
  const w = tf.tensor(values(out.size, 99), out.shape);
  out.dispose();
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)))(inputs);
  const result = grads.map((g) => (g.dataSync() as Float32Array).slice());
  tf.dispose([...inputs, ...grads, w]);
  return result;
}

beforeAll(async () => {
  await useWasmBackend();
});

describe('pointwise Conv2DBackpropInput on wasm', () => {
  it('matches the cpu kernel for 1×1 convolutions, stride 1, any padding mode', async () => {
    for (const pad of ['valid', 'same'] as const) {
      const f = (x: tf.Tensor, k: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, pad);
      const shapes = [
        [3, 5, 5, 24],
        [1, 1, 24, 40],
      ];
      const wasm = await gradsOn('wasm', shapes, f);
      const cpu = await gradsOn('cpu', shapes, f);
      expect(relErr(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
      expect(relErr(wasm[1]!, cpu[1]!)).toBeLessThan(1e-5);
    }
  });

  it('leaves other geometries to the native kernel (3×3, strided) and they still match cpu', async () => {
    for (const [k, stride] of [
      [3, 1],
      [1, 2],
    ] as const) {
      const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, 'same');
      const shapes = [
        [2, 6, 6, 8],
        [k, k, 8, 12],
      ];
      const wasm = await gradsOn('wasm', shapes, f);
      const cpu = await gradsOn('cpu', shapes, f);
      expect(relErr(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
    }
    expect(isPointwiseBackpropInput([1, 1, 8, 12], { strides: 1, pad: 'same' })).toBe(true);
    expect(isPointwiseBackpropInput([1, 1, 8, 12], { strides: [2, 2], pad: 'valid' })).toBe(false);
    expect(isPointwiseBackpropInput([3, 3, 8, 12], { strides: 1, pad: 'valid' })).toBe(false);
    expect(isPointwiseBackpropInput([1, 1, 8, 12], { strides: 1, pad: 1 })).toBe(false);
    expect(isPointwiseBackpropInput([1, 1, 8, 12], { strides: 1, pad: 'valid', dataFormat: 'NCHW' })).toBe(false);
  });
});

/** Plain-JS gradients, the reference (tfjs's stock gradients are replaced on every backend, cpu included). */
function reference(
  n: number,
  channels: number,
  dyOf: (i: number) => number,
  factorOf: (c: number) => number,
): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => dyOf(i) * factorOf(i % channels));
}

describe('FusedBatchNorm gradient without Tile', () => {
  it('dx = dy · scale / √(variance + ε), as tfjs’s own gradient computes it, on wasm and cpu', async () => {
    const [b, h, w, c] = [4, 3, 3, 16];
    const variance = Float32Array.from(values(c, 3), (v) => Math.abs(v) + 0.5);
    const scale = values(c, 4);
    const upstream = values(b * h * w * c, 5);
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const x = tf.tensor(values(b * h * w * c, 6), [b, h, w, c]);
      const dy = tf.tensor(upstream, x.shape);
      const [mean, v, offset, s] = [values(c, 7), variance, values(c, 8), scale].map((a) => tf.tensor1d(a));
      const [dx, dScale, dOffset] = tf.grads((xi: tf.Tensor, si: tf.Tensor, oi: tf.Tensor) =>
        tf.sum(tf.mul(tf.batchNorm(xi, mean!, v!, oi, si, 1e-3), dy)),
      )([x, s!, offset!]);
      const expected = reference(
        x.size,
        c,
        (i) => upstream[i]!,
        (ch) => scale[ch]! / Math.sqrt(variance[ch]! + 1e-3),
      );
      expect(relErr(dx!.dataSync() as Float32Array, expected)).toBeLessThan(1e-5);
      const offsetSum = new Float32Array(c);
      upstream.forEach((u, i) => (offsetSum[i % c]! += u));
      expect(relErr(dOffset!.dataSync() as Float32Array, offsetSum)).toBeLessThan(1e-5);
      expect(dScale!.shape).toEqual([c]);
      tf.dispose([x, dy, mean!, v!, offset!, s!, dx!, dScale!, dOffset!]);
    }
  });

  it('is registered once (a second call changes nothing) and is what tf.grads uses', () => {
    expect(useBroadcastBatchNormGradient()).toBe(false);
    const gradient = tf.getGradient('FusedBatchNorm') as unknown as Record<symbol, boolean>;
    expect(gradient[Symbol.for('transfer-studio.batchnorm-gradient')]).toBe(true);
  });
});

describe('global AvgPool gradient', () => {
  it('spreads dy / (H·W) over the window covering the input; other windows keep tfjs’s gradient (= cpu)', async () => {
    const [b, size, c] = [2, 7, 10];
    const upstream = values(b * c, 9);
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const x = tf.tensor(values(b * size * size * c, 1), [b, size, size, c]);
      const dy = tf.tensor(upstream, [b, 1, 1, c]);
      const [dx] = tf.grads((xi: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(xi as tf.Tensor4D, size, size, 'valid'), dy)))([
        x,
      ]);
      const expected = Float32Array.from(
        { length: x.size },
        (_, i) => upstream[Math.floor(i / (size * size * c)) * c + (i % c)]! / (size * size),
      );
      expect(relErr(dx!.dataSync() as Float32Array, expected)).toBeLessThan(1e-6);
      tf.dispose([x, dy, dx!]);
    }
    const f = (x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid');
    const wasm = await gradsOn('wasm', [[2, 6, 6, 10]], f);
    const cpu = await gradsOn('cpu', [[2, 6, 6, 10]], f);
    expect(relErr(wasm[0]!, cpu[0]!)).toBeLessThan(1e-6);
    expect(isGlobalPool([2, 7, 7, 10], [7, 7], 'valid')).toBe(true);
    expect(isGlobalPool([2, 7, 7, 10], 7, 'same')).toBe(false);
    expect(isGlobalPool([2, 6, 6, 10], 2, 'valid')).toBe(false);
    expect(useGlobalPoolGradient()).toBe(false);
  });
});

describe('memory', () => {
  it('tf.memory().numTensors returns to its baseline after gradients through all three', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor(values(2 * 7 * 7 * 8, 1), [2, 7, 7, 8]);
    const k = tf.tensor(values(8 * 16, 2), [1, 1, 8, 16]);
    const [mean, variance, offset, scale] = [tf.zeros([16]), tf.ones([16]), tf.zeros([16]), tf.ones([16])];
    const stats = [mean, variance, offset, scale];
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const y = tf.batchNorm(
        tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid'),
        mean,
        variance,
        offset,
        scale,
        1e-3,
      );
      return tf.sum(tf.avgPool(y as tf.Tensor4D, 7, 7, 'valid'));
    })([x, k]);
    tf.dispose([...grads, x, k, ...stats]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
