import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendReady } from '../../../../main/engine/runtime';
import { predict, rowsOf, stratifiedSplit, trainHead } from '../../../../bench/quality/heads';
import { runSetting, firstPerClass, type TaskFeatures } from '../../../../bench/quality/experiment';
import type { FeatureMatrix } from '../../../../bench/quality/features';
import { accuracy } from '../../../../bench/quality/metrics';
import { createRandom } from '../../../../main/engine/random';

beforeAll(async () => {
  await backendReady();
});

/** Three Gaussian blobs in 8-d (class c centred at 2·e_c), `n` per class; `shift` moves every point. */
function blobs(n: number, seed: number, shift = 0): { matrix: FeatureMatrix; labels: Int32Array } {
  const random = createRandom(seed);
  const dim = 8;
  const data = new Float32Array(3 * n * dim);
  const labels = new Int32Array(3 * n);
  for (let i = 0; i < 3 * n; i++) {
    labels[i] = i % 3;
    for (let d = 0; d < dim; d++) data[i * dim + d] = (d === i % 3 ? 2 : 0) + (random() - 0.5) + shift;
  }
  return { matrix: { rows: 3 * n, dim, data, parts: [{ layer: 'feature', offset: 0, dim }], seconds: 1 }, labels };
}

describe('quality heads', () => {
  it('splits each class by the fraction, seeded, disjoint', () => {
    const labels = Int32Array.from({ length: 50 }, (_, i) => (i < 40 ? 0 : 1));
    const split = stratifiedSplit(labels, 0.2, 7);
    expect(split.val.filter((i) => labels[i] === 0)).toHaveLength(8);
    expect(split.val.filter((i) => labels[i] === 1)).toHaveLength(2);
    expect(new Set([...split.train, ...split.val]).size).toBe(50);
    expect(stratifiedSplit(labels, 0.2, 7)).toEqual(split);
  });

  it('trains the product head on feature rows and predicts; tensors back to baseline', async () => {
    const { matrix, labels } = blobs(30, 1);
    const rows = rowsOf([matrix], labels, [...labels.keys()]);
    const before = tf.memory().numTensors;
    const trained = await trainHead(rows, rows, 3, { config: { epochs: 15, seed: 1 } });
    const probs = predict(trained.head, rows, 3);
    expect(accuracy(probs, rows.labels)).toBeGreaterThan(0.9);
    expect(trained.epochs).toBeGreaterThan(0);
    trained.head.optimizer?.dispose();
    trained.head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs a setting: linear probe, augmented rows, flip TTA, a second base', async () => {
    const train = blobs(20, 2);
    const test = blobs(10, 3);
    const task: TaskFeatures = {
      numClasses: 3,
      trainLabels: train.labels,
      testLabels: test.labels,
      train: train.matrix,
      test: test.matrix,
      augmented: { default: { images: firstPerClass(train.labels, 10), matrices: [blobs(10, 4).matrix] } },
      flipped: { images: [0, 1, 2, 3, 4, 5], matrix: { ...blobs(2, 5).matrix } },
      second: {
        trainImages: [...train.labels.keys()],
        testImages: [0, 1, 2],
        train: blobs(20, 6).matrix,
        test: blobs(1, 7).matrix,
      },
    };
    const probe = await runSetting(task, {
      name: 'probe',
      head: { layers: [] },
      config: { epochs: 30, learningRate: 0.03 },
    });
    expect(probe).toMatchObject({ setting: 'probe', trainImages: 60, testImages: 30 });
    expect(probe.accuracy).toBeGreaterThan(0.8);
    expect(probe.ece).toBeGreaterThanOrEqual(0);
    expect(probe.temperature).toBeGreaterThan(0);
    const augmented = await runSetting(task, { name: 'aug', augment: 'default', config: { epochs: 3 } });
    expect(augmented.trainImages).toBe(30);
    const tta = await runSetting(task, { name: 'tta', flipTta: true, config: { epochs: 3 } });
    expect(tta.testImages).toBe(6);
    // Train rows (1 s for all 60) + 6 of the 30 test rows (0.2 s) + the mirrored matrix (1 s).
    expect(tta.extractSeconds).toBeCloseTo(2.2, 6);
    const both = await runSetting(task, { name: 'both', secondBase: true, config: { epochs: 3 } });
    expect(both.testImages).toBe(3);
    await expect(runSetting(task, { name: 'bad', augment: 'strong' })).rejects.toThrow(/"strong"/);
  });
});
