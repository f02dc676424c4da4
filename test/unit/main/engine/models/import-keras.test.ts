/**
 * Keras .h5 import as a base: a keras.applications-shaped no-top file (MobileNetV2-like blocks written by our
 * writer, no scaling inside) needs its scaling given and gives the same features; a file exported by the Keras
 * export (Rescaling first) tells its scaling and round-trips to the same predictions; bad files fail naming them.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePixels, writeKerasModel } from '../../../../../main/engine/export/keras-h5';
import { importKerasFile, inspectKerasFile, isKerasFile } from '../../../../../main/engine/models/bases/import-keras';
import { listBases, loadBase } from '../../../../../main/engine/models/bases/registry';
import { applyScaling } from '../../../../../main/engine/models/scale';
import { mobileNetLike } from '../export/mobilenet-like';

let work = '';
let notop: tf.LayersModel;
let classifier: tf.LayersModel;
const notopFile = () => path.join(work, 'mobilenet_v2_like_notop.h5');
const exportedFile = () => path.join(work, 'exported.h5');

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-import-keras-'));
  notop = mobileNetLike(16, { head: false });
  classifier = mobileNetLike(16);
  await writeKerasModel(notop, 'x', notopFile()); // 'x': no Rescaling layer, like a keras.applications file
  await writeKerasModel(classifier, 'x/255', exportedFile());
});

afterAll(async () => {
  notop.dispose();
  classifier.dispose();
  await fs.rm(work, { recursive: true, force: true });
});

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
}

describe('importing a Keras .h5 file as a base', () => {
  it('recognises .h5 / .hdf5 files', () => {
    expect([isKerasFile('a/b.h5'), isKerasFile('B.HDF5'), isKerasFile('model.json'), isKerasFile('dir')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('inspects a keras.applications-shaped no-top file: input size, cut layers, scaling unknown', async () => {
    const info = await inspectKerasFile(notopFile());
    expect(info.inputSize).toBe(16);
    expect(info.scaling).toBeUndefined();
    expect(info.defaultCutLayer).toBe('out_relu');
    expect(info.layers.map((l) => l.name)).toContain('block_1_add');
    expect(info.layers.at(-1)).toEqual({ name: 'out_relu', kind: 'ReLU', outputShape: [null, 8, 8, 12] });
  });

  it('asks for the scaling when the file cannot tell, naming the parameter and the file', async () => {
    await expect(importKerasFile(notopFile(), { cacheDir: work })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(`"${notopFile()}" does not say how its input pixels are scaled`),
      details: { field: 'scaling', path: notopFile() },
    });
  });

  it('imports it with the given scaling; its features equal the original model on scaled pixels', async () => {
    const info = await importKerasFile(notopFile(), { cacheDir: work, scaling: 'x/127.5-1' });
    expect(info).toMatchObject({
      id: 'imported-mobilenet-v2-like-notop',
      source: 'imported',
      inputSize: 16,
      scaling: 'x/127.5-1',
      cutLayer: 'out_relu',
      featureShape: [8, 8, 12],
    });
    expect(info.description).toMatch(
      /^Imported Keras 2\.\d+\.\d+ \.h5 model from .*mobilenet_v2_like_notop\.h5, cut at out_relu; input scaling x\/127\.5-1/,
    );
    expect((await listBases({ cacheDir: work })).map((b) => b.id)).toContain(info.id);
    const base = await loadBase(info.id, { cacheDir: work });
    const baseline = tf.memory().numTensors;
    const pixels = probePixels(2, 16);
    const scaled = tf.tidy(() => applyScaling(pixels, 'x/127.5-1'));
    const [got, want] = [base.model.predict(scaled) as tf.Tensor, notop.predict(scaled) as tf.Tensor];
    expect(maxDiff(got, want)).toBe(0);
    tf.dispose([pixels, scaled, got, want]);
    expect(tf.memory().numTensors).toBe(baseline);
    base.model.dispose();
  });

  it('round trip: a Keras export imports with its own scaling and predicts the same (≤ 1e-5)', async () => {
    const inspected = await inspectKerasFile(exportedFile());
    expect(inspected.scaling).toBe('x');
    const info = await importKerasFile(exportedFile(), { cacheDir: work, cutLayer: 'head_out', name: 'round trip' });
    expect(info).toMatchObject({ scaling: 'x', cutLayer: 'head_out', featureShape: [3] });
    expect(info.description).toContain('takes raw 0–255 pixels');
    const base = await loadBase(info.id, { cacheDir: work });
    const pixels = probePixels(4, 16);
    const scaled = tf.tidy(() => applyScaling(pixels, 'x/255'));
    const [got, want] = [base.model.predict(pixels) as tf.Tensor, classifier.predict(scaled) as tf.Tensor];
    expect(maxDiff(got, want)).toBeLessThanOrEqual(1e-5);
    tf.dispose([pixels, scaled, got, want]);
    base.model.dispose();
  });

  it('refuses an unknown cut layer and a non-Keras file, naming them', async () => {
    await expect(importKerasFile(notopFile(), { cacheDir: work, scaling: 'x', cutLayer: 'nope' })).rejects.toThrow(
      /Cannot cut at "nope": .*mobilenet_v2_like_notop\.h5" has no single-output layer/,
    );
    const fake = path.join(work, 'fake.h5');
    await fs.writeFile(fake, '<html>not a model</html>');
    await expect(inspectKerasFile(fake)).rejects.toThrow(
      `"${fake}" cannot be read as a Keras .h5 model: it is not an HDF5 file`,
    );
    await expect(
      importKerasFile(path.join(work, 'missing.h5'), { cacheDir: work, scaling: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
