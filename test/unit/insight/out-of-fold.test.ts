import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { outOfFoldProbabilities } from '../../../main/engine/insight/out-of-fold';
import { createRandom } from '../../../main/engine/random';
import { backendReady } from '../../../main/engine/runtime';

beforeAll(async () => {
  await backendReady();
});

/** n rows in `classes` noisy clusters of `dim` dimensions; labels i % classes. */
function data(n: number, classes: number, dim: number, noise: number) {
  const random = createRandom(11);
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => random()));
  const features = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes;
    for (let j = 0; j < dim; j++) features[i * dim + j] = centres[i % classes]![j]! + (random() - 0.5) * noise;
  }
  return { features, labels };
}

describe('outOfFoldProbabilities', () => {
  it('predicts every image from a model that never saw it, leaving no tensor behind', async () => {
    const { features, labels } = data(300, 3, 64, 2);
    // Image 0 carries class 0's label but class 1's features: only out-of-fold probabilities can expose it.
    for (let j = 0; j < 64; j++) features[j] = features[64 + j]!;
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const result = await outOfFoldProbabilities(features, 64, labels, 3, {
      folds: 4,
      seed: 3,
      onProgress: (done) => progress.push(done),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual(Array.from({ length: 25 }, (_, i) => i)); // 0, then 4 folds × 3 repeats × 2 passes
    expect(result.accuracy).toBeGreaterThan(0.9);
    for (let i = 0; i < 300; i++) {
      const row = result.probabilities.subarray(i * 3, i * 3 + 3);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
    }
    expect(result.probabilities[1]!).toBeGreaterThan(0.5); // image 0 looks like class 1
    const again = await outOfFoldProbabilities(features, 64, labels, 3, { folds: 4, seed: 3 });
    expect(again.probabilities).toEqual(result.probabilities);
  });

  it('moves flipped images further from their given class in a second pass that skips the first pass misfits', async () => {
    const { features, labels } = data(300, 3, 64, 2);
    const flipped = Array.from({ length: 30 }, (_, i) => i * 10);
    for (const i of flipped) labels[i] = (labels[i]! + 1) % 3;
    const givenProbability = (p: Float32Array) =>
      flipped.reduce((s, i) => s + p[i * 3 + labels[i]!]!, 0) / flipped.length;
    const one = await outOfFoldProbabilities(features, 64, labels, 3, { passes: 1 });
    const two = await outOfFoldProbabilities(features, 64, labels, 3);
    // Measured: 0.16 after one pass, 0.06 after two.
    expect(givenProbability(two.probabilities)).toBeLessThan(givenProbability(one.probabilities) * 0.75);
    for (let i = 0; i < 300; i++)
      expect(two.probabilities[i * 3]! + two.probabilities[i * 3 + 1]! + two.probabilities[i * 3 + 2]!).toBeCloseTo(
        1,
        4,
      );
  });

  it('stops when cancelled', async () => {
    const { features, labels } = data(40, 2, 8, 1);
    const controller = new AbortController();
    controller.abort();
    await expect(outOfFoldProbabilities(features, 8, labels, 2, { signal: controller.signal })).rejects.toThrow(
      /cancelled/,
    );
  });
});
