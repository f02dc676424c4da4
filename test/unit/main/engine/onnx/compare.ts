/** Test helper: a tfjs model vs its ONNX conversion run in ONNX Runtime, on random input and random weights. */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { convertToOnnx, encodeOnnx } from '../../../../../main/engine/onnx/convert';

let seed = 1;
/** Deterministic uniform values in [lo, hi). */
export function random(n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out[i] = lo + ((hi - lo) * seed) / 2147483648;
  }
  return out;
}

/** Gives every weight random values (variances positive, so BatchNormalization is not the identity). */
export function randomizeWeights(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const fresh = layer.weights.map((w, i) => {
      const positive = /variance/.test(w.originalName);
      return tf.tensor(random(weights[i]!.size, positive ? 0.5 : -0.5, positive ? 1.5 : 0.5), weights[i]!.shape);
    });
    layer.setWeights(fresh);
    fresh.forEach((t) => t.dispose());
  }
}

/** Runs the converted model in ORT and returns the output. */
export async function runOnnx(
  bytes: Uint8Array,
  input: Float32Array,
  shape: number[],
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, shape) });
    const out = result[session.outputNames[0]!]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

/**
 * Converts `model`, runs both on random input of `batch` images, and expects the same shape and values
 * within `tolerance` (default 1e-4). Returns the max abs difference.
 */
export async function expectSameOutputs(
  model: tf.LayersModel,
  batch = 2,
  tolerance = 1e-4,
  outputLayer?: string,
): Promise<number> {
  await tf.setBackend('cpu');
  const shape = [batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const input = random(shape.reduce((a, b) => a * b, 1));
  const bytes = encodeOnnx(convertToOnnx(model, outputLayer ? { outputLayer } : {}));
  const probe = outputLayer
    ? tf.model({ inputs: model.inputs, outputs: model.getLayer(outputLayer).output as tf.SymbolicTensor })
    : model;
  const expected = tf.tidy(() => probe.predict(tf.tensor(input, shape)) as tf.Tensor);
  const want = expected.dataSync();
  const got = await runOnnx(bytes, input, shape);
  expect([...got.dims]).toEqual(expected.shape);
  expected.dispose();
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]! - got.data[i]!));
  expect(max).toBeLessThanOrEqual(tolerance);
  return max;
}

/** A one-layer model on input `[null, ...inputShape]` with random weights. */
export function single(layer: tf.layers.Layer, inputShape: number[]): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  randomizeWeights(model);
  return model;
}
