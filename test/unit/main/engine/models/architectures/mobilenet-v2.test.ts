/**
 * keras.applications MobileNetV2 weights-only import: Keras' layer and parameter counts per alpha; a weights-only
 * file named the keras.applications way (alpha 1.0) or only recognisable by its layers (alpha 0.35) imports as a
 * base whose features on real images equal the tfjs model's; a file of another alpha under a 1.0 name, and a file
 * of no known architecture, fail naming the file and the layer or the supported architectures.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessImage } from '../../../../../../main/engine/data/preprocess';
import { writeKerasWeightsH5 } from '../../../../../../main/engine/export/keras-weights-file';
import { buildMobileNetV2 } from '../../../../../../main/engine/models/bases/architectures/mobilenet-v2';
import { importKerasFile, inspectKerasFile } from '../../../../../../main/engine/models/bases/import-keras';
import { loadBase } from '../../../../../../main/engine/models/bases/registry';
import { applyScaling } from '../../../../../../main/engine/models/scale';
import { fashionMnistFolders } from '../../../../../fixtures/fashion-mnist';
import { randomise, weightsOf } from './keras-applications-file';

const SIZE = 64;
let work = '';
const models: Record<string, tf.LayersModel> = {};
const named = () => path.join(work, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5');
const unnamed = () => path.join(work, 'backbone.h5');
let pixels: tf.Tensor4D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-mobilenetv2-'));
  models['1.0'] = buildMobileNetV2(1.0, SIZE);
  models['0.35'] = buildMobileNetV2(0.35, SIZE);
  randomise(models['1.0'], 11);
  randomise(models['0.35'], 12);
  await writeKerasWeightsH5(named(), weightsOf(models['1.0']));
  await writeKerasWeightsH5(unnamed(), weightsOf(models['0.35']));
  const folder = await fashionMnistFolders({ perClass: 1, classes: ['Trouser', 'Dress', 'Coat'], size: 28 });
  const images = await Promise.all(
    ['Trouser', 'Dress', 'Coat'].map(async (c) => {
      const dir = path.join(folder, c);
      return preprocessImage(path.join(dir, (await fs.readdir(dir))[0]!), { size: SIZE });
    }),
  );
  pixels = tf.stack(images.map((im) => tf.tensor3d(im.data, [SIZE, SIZE, 3], 'int32'))) as tf.Tensor4D;
}, 60_000);

afterAll(async () => {
  Object.values(models).forEach((m) => m.dispose());
  pixels.dispose();
  await fs.rm(work, { recursive: true, force: true });
});

async function expectSameFeatures(file: string, model: tf.LayersModel, featureShape: number[]): Promise<void> {
  const before = tf.memory().numTensors;
  const info = await importKerasFile(file, { cacheDir: work, inputSize: SIZE });
  expect(tf.memory().numTensors).toBe(before); // the built architecture is disposed after the import
  expect(info).toMatchObject({ inputSize: SIZE, scaling: 'x/127.5-1', cutLayer: 'out_relu', featureShape });
  const base = await loadBase(info.id, { cacheDir: work });
  const baseline = tf.memory().numTensors;
  const scaled = tf.tidy(() => applyScaling(pixels, 'x/127.5-1'));
  const [got, want] = [base.model.predict(scaled) as tf.Tensor, model.predict(scaled) as tf.Tensor];
  expect(tf.tidy(() => got.sub(want).abs().max().dataSync()[0]!)).toBeLessThanOrEqual(1e-5);
  expect(tf.tidy(() => tf.moments(want).variance.dataSync()[0]!)).toBeGreaterThan(0);
  tf.dispose([scaled, got, want]);
  expect(tf.memory().numTensors).toBe(baseline);
  base.model.dispose();
}

describe('keras.applications MobileNetV2 (weights-only .h5)', () => {
  it("has keras.applications' layers and parameters per alpha (1.0 no-top: 2,257,984)", () => {
    const counts = [1.0, 0.35, 1.4].map((alpha) => {
      const m = buildMobileNetV2(alpha);
      const out = [m.layers.length, m.countParams(), m.outputs[0]!.shape];
      m.dispose();
      return out;
    });
    expect(counts).toEqual([
      [154, 2_257_984, [null, 7, 7, 1280]],
      [154, 410_208, [null, 7, 7, 1280]],
      [154, 4_363_712, [null, 7, 7, 1792]],
    ]);
  });

  it('imports a file named the keras.applications way (alpha 1.0): same features on real images', async () => {
    const inspected = await inspectKerasFile(named());
    expect(inspected).toMatchObject({ scaling: 'x/127.5-1', defaultCutLayer: 'out_relu', inputSize: 224 });
    await expectSameFeatures(named(), models['1.0']!, [2, 2, 1280]);
  }, 60_000);

  it('recognises alpha 0.35 from the layers of a file with another name', async () => {
    await expectSameFeatures(unnamed(), models['0.35']!, [2, 2, 1280]);
    const info = await importKerasFile(unnamed(), { cacheDir: work, inputSize: SIZE });
    expect(info.description).toContain('keras.applications MobileNetV2 (alpha 0.35)');
  }, 60_000);

  it('refuses weights of another alpha under a 1.0 name, naming the file and the layer', async () => {
    const renamed = path.join(work, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5');
    await fs.copyFile(unnamed(), renamed);
    await expect(inspectKerasFile(renamed)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(
        /^".*_1\.0_96_no_top\.h5" does not fit keras\.applications MobileNetV2 \(alpha 1\.0\): weight "Conv1\/kernel:0" of layer "Conv1" has shape \[3,3,3,16\], the architecture needs \[3,3,3,32\]\.$/,
      ),
    });
  });

  it('imports an include_top file, leaving its classifier out', async () => {
    const top = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [1280], name: 'predictions' })] });
    const file = path.join(work, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5');
    await writeKerasWeightsH5(file, [...weightsOf(models['1.0']!), ...weightsOf(top)]);
    top.dispose();
    await expectSameFeatures(file, models['1.0']!, [2, 2, 1280]);
  }, 60_000);

  it('refuses a weights-only file of an unknown architecture, naming it and the supported ones', async () => {
    const other = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'dense_1' })],
    });
    const file = path.join(work, 'inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5');
    await writeKerasWeightsH5(file, weightsOf(other));
    other.dispose();
    await expect(importKerasFile(file, { cacheDir: work })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining(
        `"${file}" holds only weights (no "model_config") of an architecture the app cannot recognise (neither its name nor its layer names match one of: Xception, MobileNetV2`,
      ),
      details: { path: file },
    });
  });
});
