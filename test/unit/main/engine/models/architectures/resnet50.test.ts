/**
 * keras.applications ResNet50 weights-only import: Keras' layer and parameter counts (include_top=False: 175
 * layers, 23,587,712 parameters) plus the built-in caffe preprocessing layer; a weights-only file imports as a base
 * taking raw pixels, whose first layer does caffe preprocessing (RGB → BGR minus the ImageNet means) and whose
 * features on real images equal the tfjs model's.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessImage } from '../../../../../../main/engine/data/preprocess';
import { writeKerasWeightsH5 } from '../../../../../../main/engine/export/keras-weights-file';
import { CAFFE_LAYER, buildResNet50 } from '../../../../../../main/engine/models/bases/architectures/resnet50';
import { importKerasFile } from '../../../../../../main/engine/models/bases/import-keras';
import { loadBase } from '../../../../../../main/engine/models/bases/registry';
import { fashionMnistFolders } from '../../../../../fixtures/fashion-mnist';
import { randomise, weightsOf } from './keras-applications-file';

const SIZE = 64;
let work = '';
let model: tf.LayersModel;
const file = () => path.join(work, 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5');

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-resnet50-'));
  model = buildResNet50(SIZE);
  randomise(model, 21);
  await writeKerasWeightsH5(file(), weightsOf(model, {}, [CAFFE_LAYER]));
}, 120_000);

afterAll(async () => {
  model.dispose();
  await fs.rm(work, { recursive: true, force: true });
});

describe('keras.applications ResNet50 (weights-only .h5)', () => {
  it("has keras.applications' layers and parameters, plus the fixed caffe preprocessing layer", () => {
    const full = buildResNet50();
    const fixed = full.getLayer(CAFFE_LAYER);
    expect([full.layers.length - 1, full.countParams() - fixed.countParams(), fixed.trainable]).toEqual([
      175,
      23_587_712,
      false,
    ]);
    expect(full.outputs[0]!.shape).toEqual([null, 7, 7, 2048]);
    full.dispose();
  });

  it('imports as a base taking raw pixels; caffe preprocessing inside; same features on real images', async () => {
    const info = await importKerasFile(file(), { cacheDir: work, inputSize: SIZE });
    expect(info).toMatchObject({ scaling: 'x', cutLayer: 'conv5_block3_out', featureShape: [2, 2, 2048] });
    expect(info.description).toContain('takes raw 0–255 pixels (keras.applications ResNet50 preprocessing built in)');
    const folder = await fashionMnistFolders({ perClass: 1, classes: ['Pullover', 'Sandal'], size: 28 });
    const images = await Promise.all(
      ['Pullover', 'Sandal'].map(async (c) => {
        const dir = path.join(folder, c);
        return preprocessImage(path.join(dir, (await fs.readdir(dir))[0]!), { size: SIZE });
      }),
    );
    const base = await loadBase(info.id, { cacheDir: work });
    expect(base.model.getLayer(CAFFE_LAYER).trainable).toBe(false);
    const baseline = tf.memory().numTensors;
    const pixels = tf.tidy(() =>
      tf.stack(images.map((im) => tf.tensor3d(im.data, [SIZE, SIZE, 3], 'int32'))).toFloat(),
    );
    const caffe = tf.model({ inputs: base.model.inputs, outputs: base.model.getLayer(CAFFE_LAYER).output });
    const [pre, wantPre] = [
      caffe.predict(pixels) as tf.Tensor,
      tf.tidy(() => tf.reverse(pixels, -1).sub(tf.tensor1d([103.939, 116.779, 123.68]))),
    ];
    const [got, want] = [base.model.predict(pixels) as tf.Tensor, model.predict(pixels) as tf.Tensor];
    const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]!);
    expect(maxDiff(pre, wantPre)).toBeLessThanOrEqual(1e-4);
    expect(maxDiff(got, want)).toBeLessThanOrEqual(1e-5);
    expect(tf.tidy(() => tf.moments(want).variance.dataSync()[0]!)).toBeGreaterThan(0);
    tf.dispose([pixels, pre, wantPre, got, want]);
    expect(tf.memory().numTensors).toBe(baseline);
    base.model.dispose();
  }, 120_000);
});
