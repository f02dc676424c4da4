import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { neighbourGraph } from '../../../main/engine/insight/neighbours';
import { createRandom } from '../../../main/engine/random';
import { backendReady } from '../../../main/engine/runtime';

beforeAll(async () => {
  await backendReady();
});

describe('neighbourGraph', () => {
  it('matches a brute-force search across blocks, and lists every pair within the radius', async () => {
    const random = createRandom(5);
    const n = 70;
    const width = 6;
    const rows = Float32Array.from({ length: n * width }, () => random());
    // Row 69 is a near copy of row 3.
    for (let j = 0; j < width; j++) rows[69 * width + j] = rows[3 * width + j]! + 0.001;
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const graph = await neighbourGraph(rows, width, {
      k: 4,
      radius: 0.01,
      blockRows: 16,
      onProgress: (done) => progress.push(done),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([16, 32, 48, 64, 70]);
    const distance = (a: number, b: number) =>
      Math.sqrt(
        Array.from({ length: width }, (_, j) => (rows[a * width + j]! - rows[b * width + j]!) ** 2).reduce(
          (s, v) => s + v,
          0,
        ),
      );
    for (const i of [0, 3, 40, 69]) {
      const expected = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => distance(i, a) - distance(i, b))
        .slice(0, 3);
      expect(graph.indices[i]).toEqual([i, ...expected]);
      expect(graph.distances[i]![0]).toBe(0);
      expected.forEach((j, at) => expect(graph.distances[i]![at + 1]).toBeCloseTo(distance(i, j), 3));
    }
    expect(graph.pairs).toEqual([[3, 69]]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(neighbourGraph(new Float32Array(8), 2, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});
