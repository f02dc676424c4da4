import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectPca } from '../../../main/engine/insight/pca';
import { createRandom } from '../../../main/engine/random';
import { backendReady } from '../../../main/engine/runtime';

beforeAll(async () => {
  await backendReady();
});

describe('projectPca', () => {
  it('keeps the distances of data that lies in a low-dimensional subspace', () => {
    // 200 points in a random 3-D subspace of 40 dimensions: 3 components keep every pairwise distance.
    const random = createRandom(3);
    const basis = Array.from({ length: 3 }, () => Array.from({ length: 40 }, () => random() - 0.5));
    const n = 200;
    const x = new Float32Array(n * 40);
    for (let i = 0; i < n; i++) {
      const w = [random() * 4, random() * 2, random()];
      for (let j = 0; j < 40; j++)
        x[i * 40 + j] = 5 + w[0]! * basis[0]![j]! + w[1]! * basis[1]![j]! + w[2]! * basis[2]![j]!;
    }
    const before = tf.memory().numTensors;
    const { rows, components } = projectPca(x, 40, { components: 3, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(components).toBe(3);
    const distance = (m: Float32Array, d: number, a: number, b: number) =>
      Math.sqrt(Array.from({ length: d }, (_, j) => (m[a * d + j]! - m[b * d + j]!) ** 2).reduce((s, v) => s + v, 0));
    for (const [a, b] of [
      [0, 1],
      [5, 150],
      [42, 199],
    ] as const) {
      expect(distance(rows, 3, a, b)).toBeCloseTo(distance(x, 40, a, b), 3);
    }
    // Centred: every component averages to 0.
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += rows[i * 3 + c]!;
      expect(Math.abs(sum / n)).toBeLessThan(1e-3);
    }
  });

  it('returns the centred input when the dimension is already small, and is seeded', () => {
    const x = Float32Array.from([1, 2, 3, 5]);
    expect(Array.from(projectPca(x, 2, { components: 5 }).rows)).toEqual([-1, -1.5, 1, 1.5]);
    const random = createRandom(9);
    const big = Float32Array.from({ length: 30 * 20 }, () => random());
    expect(projectPca(big, 20, { components: 4, seed: 2 })).toEqual(projectPca(big, 20, { components: 4, seed: 2 }));
  });
});
