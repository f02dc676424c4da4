/**
 * Multinomial logistic regression (softmax, L2 penalty) trained with mini-batch Adam in plain loops over
 * Float64Arrays. Small enough not to need tensors: on ~128 principal components and a handful of classes a step
 * is a few hundred thousand multiply-adds, and plain JS has none of the per-kernel overhead a tfjs step has
 * (measured in out-of-fold.ts). Nothing to dispose.
 */
import { throwIfCancelled } from '../cancel';
import { createRandom, deriveSeed, epochOrder } from '../training/seed';

/** Options of {@link trainSoftmax}. */
export interface SoftmaxOptions {
  /** Passes over the training rows. Default: 20. */
  epochs?: number;
  /** Rows per step. Default: 64. */
  batchSize?: number;
  /** Adam's learning rate. Default: 0.01. */
  learningRate?: number;
  /** L2 penalty on the weights (added to the mean cross-entropy). Default: 0.001. */
  l2?: number;
  /** Seed of the initial weights and the batch order. Default: 42. */
  seed?: number;
  /** Checked between epochs. Default: never cancelled. */
  signal?: AbortSignal;
}

/** A trained model: weights (dim × classes, row-major) and biases. */
export interface SoftmaxModel {
  dim: number;
  classes: number;
  weights: Float64Array;
  bias: Float64Array;
}

/** Softmax probabilities of one row into `out` (length classes). */
function predictRow(model: SoftmaxModel, x: Float32Array, offset: number, out: Float64Array): void {
  const { dim, classes, weights, bias } = model;
  for (let c = 0; c < classes; c++) out[c] = bias[c]!;
  for (let j = 0; j < dim; j++) {
    const v = x[offset + j]!;
    if (v === 0) continue;
    const w = j * classes;
    for (let c = 0; c < classes; c++) out[c]! += v * weights[w + c]!;
  }
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < classes; c++) out[c]! /= sum;
}

/**
 * Trains on the rows `train` of `x` (n × dim, row-major) with class indices `labels`.
 * @throws StudioError CANCELLED when `signal` aborts.
 */
export async function trainSoftmax(
  x: Float32Array,
  dim: number,
  labels: ArrayLike<number>,
  classes: number,
  train: readonly number[],
  options: SoftmaxOptions = {},
): Promise<SoftmaxModel> {
  const seed = options.seed ?? 42;
  const batchSize = options.batchSize ?? 64;
  const lr = options.learningRate ?? 0.01;
  const l2 = options.l2 ?? 0.001;
  const signal = options.signal ?? new AbortController().signal;
  const random = createRandom(deriveSeed(seed, 'softmax-init'));
  const size = dim * classes;
  const model: SoftmaxModel = {
    dim,
    classes,
    weights: Float64Array.from({ length: size }, () => (random() - 0.5) * 0.02),
    bias: new Float64Array(classes),
  };
  const params = [model.weights, model.bias];
  const grads = [new Float64Array(size), new Float64Array(classes)];
  const m = [new Float64Array(size), new Float64Array(classes)];
  const v = [new Float64Array(size), new Float64Array(classes)];
  const p = new Float64Array(classes);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;
  for (let epoch = 0; epoch < (options.epochs ?? 20); epoch++) {
    throwIfCancelled(signal);
    const order = epochOrder(train.length, deriveSeed(seed, 'softmax-order'), epoch);
    for (let start = 0; start < train.length; start += batchSize) {
      const end = Math.min(train.length, start + batchSize);
      const [gw, gb] = grads as [Float64Array, Float64Array];
      for (let i = 0; i < size; i++) gw[i] = 2 * l2 * model.weights[i]!;
      gb.fill(0);
      const scale = 1 / (end - start);
      for (let s = start; s < end; s++) {
        const row = train[order[s]!]!;
        const offset = row * dim;
        predictRow(model, x, offset, p);
        p[labels[row]!]! -= 1;
        for (let c = 0; c < classes; c++) gb[c]! += p[c]! * scale;
        for (let j = 0; j < dim; j++) {
          const xv = x[offset + j]! * scale;
          if (xv === 0) continue;
          const w = j * classes;
          for (let c = 0; c < classes; c++) gw[w + c]! += xv * p[c]!;
        }
      }
      step++;
      const c1 = lr / (1 - beta1 ** step);
      const c2 = 1 / Math.sqrt(1 - beta2 ** step);
      for (let k = 0; k < 2; k++) {
        const [w, g, mk, vk] = [params[k]!, grads[k]!, m[k]!, v[k]!];
        for (let i = 0; i < w.length; i++) {
          mk[i] = beta1 * mk[i]! + (1 - beta1) * g[i]!;
          vk[i] = beta2 * vk[i]! + (1 - beta2) * g[i]! * g[i]!;
          w[i]! -= (c1 * mk[i]!) / (Math.sqrt(vk[i]!) * c2 + eps);
        }
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return model;
}

/** Probabilities (rows.length × classes, row-major) of the given rows of `x`. */
export function predictSoftmax(model: SoftmaxModel, x: Float32Array, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * model.classes);
  const p = new Float64Array(model.classes);
  rows.forEach((row, r) => {
    predictRow(model, x, row * model.dim, p);
    out.set(p, r * model.classes);
  });
  return out;
}
