/**
 * `prediction.predictImages`: images sent as base64 (pasted, or dropped in a browser tab) give the same
 * probabilities as the same files predicted by path, with a real (tiny) exported tfjs model; bytes that
 * are not an image give a row with the error naming the image.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictionModels } from '../../../../../main/engine/evaluate/model-cache';
import { predict, predictImages } from '../../../../../main/engine/evaluate/predict';
import { fileSystemSaver } from '../../../../../main/engine/models/io/fs-handler';
import { backendReady } from '../../../../../main/engine/runtime';
import type { ModelMetadata } from '../../../../../shared/contract/model-metadata';
import { writeImage } from '../../../../fixtures/generated';

const quiet = { signal: new AbortController().signal, progress: () => undefined };

describe('predict images sent by value', () => {
  let tmp = '';
  let modelDir = '';
  let files: string[] = [];

  beforeAll(async () => {
    await backendReady();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'predict-images-'));
    modelDir = path.join(tmp, 'model');
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [12, 12, 3] }),
        tf.layers.dense({
          units: 2,
          activation: 'softmax',
          kernelInitializer: tf.initializers.randomNormal({ seed: 3, stddev: 0.05 }),
        }),
      ],
    });
    await model.save(fileSystemSaver(modelDir));
    model.dispose();
    const metadata: ModelMetadata = {
      tfjsVersion: tf.version.tfjs,
      tmVersion: '2.4.10',
      packageName: 'transfer-studio',
      packageVersion: '0.0.0',
      modelName: 'tiny',
      timeStamp: new Date().toISOString(),
      labels: ['left', 'right'],
      imageSize: 12,
      transferStudio: {
        version: 1,
        input: 'tm',
        scaling: 'x/127.5-1',
        preprocess: { size: 12, resize: 'cover', background: '#ffffff' },
        base: 'tiny',
        appVersion: '0.0.0',
      },
    };
    await writeFile(path.join(modelDir, 'metadata.json'), JSON.stringify(metadata));
    files = await Promise.all([
      writeImage(path.join(tmp, 'a.jpg'), 30, 20, 1),
      writeImage(path.join(tmp, 'b.png'), 16, 16, 2),
    ]);
  });

  afterAll(async () => {
    await predictionModels.clear();
    await rm(tmp, { recursive: true, force: true });
  });

  it('gives the probabilities of the same files predicted by path; a non-image gets its error row', async () => {
    const baseline = tf.memory().numTensors;
    const byPath = await predict({ model: modelDir, paths: files, top: 2, batchSize: 8 }, quiet);
    const images = await Promise.all(
      files.map(async (file) => ({ name: path.basename(file), base64: (await readFile(file)).toString('base64') })),
    );
    const byValue = await predictImages({
      model: modelDir,
      images: [...images, { name: 'clipboard.txt', base64: Buffer.from('hello').toString('base64') }],
      top: 2,
    });
    expect(byValue.source).toBe('tfjs-export');
    expect(byValue.predictions).toHaveLength(3);
    byPath.predictions.forEach((row, i) => {
      const other = byValue.predictions[i]!;
      expect(other.path).toBe(path.basename(files[i]!));
      if ('error' in row || 'error' in other) throw new Error('expected predictions');
      expect(other.top.map((t) => t.label)).toEqual(row.top.map((t) => t.label));
      other.top.forEach((t, k) => expect(t.probability).toBeCloseTo(row.top[k]!.probability, 6));
    });
    expect(byValue.predictions[2]).toMatchObject({
      path: 'clipboard.txt',
      error: expect.stringContaining('"clipboard.txt"'),
    });
    await predictionModels.clear();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
