/**
 * The weights-only Keras .h5 layout: what {@link writeKerasWeightsH5} writes reads back (names, shapes, values, no
 * model_config, layers without weights kept in order); a whole-model file is refused by the weights-only reader.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKerasModel } from '../../../../../main/engine/export/keras-h5';
import { readKerasWeightsH5, writeKerasWeightsH5 } from '../../../../../main/engine/export/keras-weights-file';
import { mobileNetLike } from './mobilenet-like';

let work = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-keras-weights-'));
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('weights-only Keras .h5 files', () => {
  it('reads back what it writes', async () => {
    const file = path.join(work, 'w.h5');
    const layers = [
      { layer: 'input_1', weights: [] },
      {
        layer: 'block1_conv1',
        weights: [{ name: 'block1_conv1/kernel:0', shape: [1, 1, 3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
      },
      { layer: 'block1_conv1_act', weights: [] },
    ];
    await writeKerasWeightsH5(file, layers, '2.2.4');
    const content = await readKerasWeightsH5(file);
    expect(content).toMatchObject({ modelConfig: undefined, kerasVersion: '2.2.4', backend: 'tensorflow' });
    expect(content.layers.map((l) => [l.layer, l.weights.map((w) => [w.name, w.shape, [...w.data]])])).toEqual([
      ['input_1', []],
      ['block1_conv1', [['block1_conv1/kernel:0', [1, 1, 3, 2], [1, 2, 3, 4, 5, 6]]]],
      ['block1_conv1_act', []],
    ]);
  });

  it('refuses a whole-model file, naming it', async () => {
    const file = path.join(work, 'whole.h5');
    const model = mobileNetLike(16, { head: false });
    await writeKerasModel(model, 'x', file);
    model.dispose();
    await expect(readKerasWeightsH5(file)).rejects.toThrow(`"${file}" holds a whole model (it has "model_config")`);
  });
});
