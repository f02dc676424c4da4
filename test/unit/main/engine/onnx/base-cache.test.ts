/**
 * The converted-model cache key: the same model loaded twice in one process (tfjs renames its weights
 * …/kernel_1, …/kernel_2) has the same hash and converts once; other weights give another hash.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertedModel, weightsHash } from '../../../../../main/engine/onnx/base-cache';

let tmp = '';
let saved: tf.io.ModelArtifacts;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'base-cache-'));
  const input = tf.input({ shape: [6, 6, 3] });
  const x = tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('converted model cache', () => {
  it('one model loaded twice: same hash (weight names differ), converted once', async () => {
    const baseline = tf.memory().numTensors;
    const a = await tf.loadLayersModel(tf.io.fromMemory(saved));
    const b = await tf.loadLayersModel(tf.io.fromMemory(saved));
    expect(a.weights[0]!.name).not.toBe(b.weights[0]!.name);
    expect(weightsHash(a)).toBe(weightsHash(b));
    const first = await convertedModel(a, { cacheDir: tmp });
    const second = await convertedModel(b, { cacheDir: tmp });
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.file).toBe(first.file);
    expect(await readdir(path.join(tmp, 'onnx'))).toHaveLength(1);
    const kernel = b.layers[1]!.getWeights()[0]!;
    const changed = tf.tidy(() => kernel.add(1));
    b.layers[1]!.setWeights([changed, b.layers[1]!.getWeights()[1]!]);
    changed.dispose();
    expect(weightsHash(b)).not.toBe(weightsHash(a));
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
