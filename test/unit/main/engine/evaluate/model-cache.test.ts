/**
 * Predictions from an exported TF.js folder with a real (tiny) tfjs model saved to disk: each
 * `transferStudio.input` kind is fed as metadata.json says (raw pixels, TM's x/127 − 1, or the base's
 * scaling), and the model cache loads a model once, reloads a rewritten one, and frees its tensors on
 * clear and after the idle time.
 */
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCache } from '../../../../../main/engine/evaluate/model-cache';
import { predictWith } from '../../../../../main/engine/evaluate/predict';
import { preprocessImage } from '../../../../../main/engine/data/preprocess';
import { fileSystemSaver } from '../../../../../main/engine/models/io/fs-handler';
import type { ModelInput, ModelMetadata } from '../../../../../shared/contract/model-metadata';
import { writeImage } from '../../../../fixtures/generated';
import { backendReady } from '../../../../../main/engine/runtime';

const SIZE = 8;

function tinyModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [SIZE, SIZE, 3] }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.randomNormal({ seed: 7, stddev: 0.05 }),
      }),
    ],
  });
  return model;
}

async function exportTo(dir: string, model: tf.LayersModel, input: ModelInput): Promise<void> {
  await model.save(fileSystemSaver(dir));
  const metadata: ModelMetadata = {
    tfjsVersion: tf.version.tfjs,
    tmVersion: '2.4.10',
    packageName: 'transfer-studio',
    packageVersion: '0.0.0',
    modelName: 'tiny',
    timeStamp: new Date().toISOString(),
    labels: ['a', 'b', 'c'],
    imageSize: SIZE,
    transferStudio: {
      version: 1,
      input,
      scaling: 'x/255',
      preprocess: { size: SIZE, resize: 'cover', background: '#ffffff' },
      base: 'tiny',
      appVersion: '0.0.0',
    },
  };
  await writeFile(path.join(dir, 'metadata.json'), JSON.stringify(metadata));
}

describe('exported TF.js folders and the model cache', () => {
  let tmp = '';
  let model: tf.Sequential;
  let images: string[] = [];

  beforeAll(async () => {
    await backendReady();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'model-cache-'));
    model = tinyModel();
    images = await Promise.all([0, 1, 2].map((i) => writeImage(path.join(tmp, 'images', `${i}.png`), 20, 14, 40 + i)));
  });

  afterAll(async () => {
    model?.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  const scalings: Record<ModelInput, (x: tf.Tensor) => tf.Tensor> = {
    pixels: (x) => x,
    tm: (x) => x.div(127).sub(1),
    scaled: (x) => x.div(255),
  };

  for (const input of ['pixels', 'tm', 'scaled'] as const) {
    it(`input "${input}": probabilities equal the model on the preprocessed pixels scaled that way`, async () => {
      const dir = path.join(tmp, `export-${input}`);
      await exportTo(dir, model, input);
      const cache = new ModelCache();
      const baseline = tf.memory().numTensors;
      const rows = await cache.use(dir, (loaded) =>
        predictWith(
          loaded,
          images.map((p) => ({ path: p })),
          { top: 3, batchSize: 2 },
        ),
      );
      for (const [i, file] of images.entries()) {
        const pixels = await preprocessImage(file, { size: SIZE });
        const expected = tf.tidy(
          () =>
            (
              model.predict(
                scalings[input](tf.tensor4d(pixels.data, [1, SIZE, SIZE, 3], 'int32').toFloat()),
              ) as tf.Tensor
            ).arraySync() as number[][],
        )[0]!;
        const row = rows[i]!;
        if ('error' in row) throw new Error(row.error);
        for (const t of row.top) expect(t.probability).toBeCloseTo(expected[['a', 'b', 'c'].indexOf(t.label)]!, 6);
      }
      await cache.clear();
      expect(tf.memory().numTensors).toBe(baseline);
    });
  }

  it('loads once for repeated use, reloads a rewritten model, frees it on clear and after the idle time', async () => {
    const dir = path.join(tmp, 'export-pixels');
    const baseline = tf.memory().numTensors;
    const cache = new ModelCache(200);
    const first = await cache.use(dir, async (loaded) => loaded);
    const again = await cache.use(dir, async (loaded) => loaded);
    expect(again).toBe(first);
    expect(tf.memory().numTensors).toBeGreaterThan(baseline);
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(dir, 'model.json'), later, later);
    const reloaded = await cache.use(dir, async (loaded) => loaded);
    expect(reloaded).not.toBe(first);
    await cache.clear();
    expect(tf.memory().numTensors).toBe(baseline);
    await cache.use(dir, async () => undefined);
    expect(tf.memory().numTensors).toBeGreaterThan(baseline);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('a model that fails to load is not kept', async () => {
    const cache = new ModelCache();
    await expect(cache.use(path.join(tmp, 'images'), async () => undefined)).rejects.toThrow(/neither a run folder/);
    await expect(cache.use(path.join(tmp, 'images'), async () => undefined)).rejects.toThrow(/neither a run folder/);
  });
});
