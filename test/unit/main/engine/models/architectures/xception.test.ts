/**
 * keras.applications Xception weights-only import: the architecture has Keras' layer and parameter counts; a
 * weights-only file in the `save_weights` layout (written with h5wasm, checked with h5py, residual layers named the
 * Keras 2.0 way) imports as a base whose features on real images equal the tfjs model's.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessImage } from '../../../../../../main/engine/data/preprocess';
import { writeKerasWeightsH5 } from '../../../../../../main/engine/export/keras-weights-file';
import { buildXception } from '../../../../../../main/engine/models/bases/architectures/xception';
import { importKerasFile, inspectKerasFile } from '../../../../../../main/engine/models/bases/import-keras';
import { loadBase } from '../../../../../../main/engine/models/bases/registry';
import { applyScaling } from '../../../../../../main/engine/models/scale';
import { fashionMnistFolders } from '../../../../../fixtures/fashion-mnist';
import { randomise, weightsOf } from './keras-applications-file';

const SIZE = 71; // Xception's smallest input: the same weights, a fast comparison
let work = '';
let model: tf.LayersModel;
const file = () => path.join(work, 'xception_weights_tf_dim_ordering_tf_kernels_notop.h5');
// Keras 2.0 (the keras.applications files) numbered unnamed layers from 1.
const RENAME = Object.fromEntries(
  ['conv2d', 'batch_normalization'].flatMap((kind) =>
    [0, 1, 2, 3].map((k) => [k === 0 ? kind : `${kind}_${k}`, `${kind}_${k + 1}`]),
  ),
);

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-xception-'));
  model = buildXception(SIZE);
  randomise(model, 7);
  await writeKerasWeightsH5(file(), weightsOf(model, RENAME), '2.0.8');
}, 120_000);

afterAll(async () => {
  model.dispose();
  await fs.rm(work, { recursive: true, force: true });
});

describe('keras.applications Xception (weights-only .h5)', () => {
  it("has keras.applications' layers and parameters (include_top=False: 132 layers, 20,861,480 parameters)", () => {
    const full = buildXception();
    expect([full.layers.length, full.countParams()]).toEqual([132, 20_861_480]);
    expect(full.outputs[0]!.shape).toEqual([null, 10, 10, 2048]);
    full.dispose();
  });

  it('writes the save_weights layout, as h5py sees it', () => {
    const script = `
import h5py, json, sys
f = h5py.File(sys.argv[1], 'r')
dec = lambda v: [x.decode() if isinstance(x, bytes) else str(x) for x in v]
names = dec(f.attrs['layer_names'])
g = f['block1_conv1']
print(json.dumps({'model_config': 'model_config' in f.attrs, 'layers': len(names), 'first': names[:2],
  'residual': 'conv2d_1' in names, 'weight_names': dec(g.attrs['weight_names']),
  'shape': list(g['block1_conv1/kernel:0'].shape), 'bn': dec(f['block14_sepconv2_bn'].attrs['weight_names'])}))`;
    const run = spawnSync('/usr/bin/python3', ['-c', script, file()], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      model_config: false,
      layers: 132,
      first: ['input_1', 'block1_conv1'],
      residual: true,
      weight_names: ['block1_conv1/kernel:0'],
      shape: [3, 3, 3, 32],
      bn: ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => `block14_sepconv2_bn/${w}:0`),
    });
  });

  it("imports as a base with Xception's scaling; its features on real images equal the tfjs model's", async () => {
    const inspected = await inspectKerasFile(file());
    expect(inspected).toMatchObject({ scaling: 'x/127.5-1', defaultCutLayer: 'block14_sepconv2_act' });
    const info = await importKerasFile(file(), { cacheDir: work, inputSize: SIZE });
    expect(info).toMatchObject({
      source: 'imported',
      inputSize: SIZE,
      scaling: 'x/127.5-1',
      cutLayer: 'block14_sepconv2_act',
      featureShape: [3, 3, 2048],
    });
    expect(info.description).toContain('weights-only file of keras.applications Xception');
    const folder = await fashionMnistFolders({ perClass: 1, classes: ['Sneaker', 'Bag'], size: 28 });
    const images = await Promise.all(
      ['Sneaker', 'Bag'].map(async (c) => {
        const dir = path.join(folder, c);
        return preprocessImage(path.join(dir, (await fs.readdir(dir))[0]!), { size: SIZE });
      }),
    );
    const base = await loadBase(info.id, { cacheDir: work });
    const baseline = tf.memory().numTensors;
    const scaled = tf.tidy(() =>
      applyScaling(tf.stack(images.map((im) => tf.tensor3d(im.data, [SIZE, SIZE, 3], 'int32'))), 'x/127.5-1'),
    );
    const [got, want] = [base.model.predict(scaled) as tf.Tensor, model.predict(scaled) as tf.Tensor];
    const diff = tf.tidy(() => got.sub(want).abs().max().dataSync()[0]!);
    const spread = tf.tidy(() => tf.moments(want).variance.dataSync()[0]!);
    expect(diff).toBeLessThanOrEqual(1e-5);
    expect(spread).toBeGreaterThan(0); // features are not all equal (weights were really set)
    tf.dispose([scaled, got, want]);
    expect(tf.memory().numTensors).toBe(baseline);
    base.model.dispose();
  }, 120_000);
});
