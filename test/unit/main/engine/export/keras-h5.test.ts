/**
 * The Keras .h5 writer and reader on a small MobileNetV2-like model (Conv2D, DepthwiseConv2D, BatchNormalization,
 * ReLU6, Add, GlobalAveragePooling2D, Dense): the layout checked from outside with Debian's h5py, the reload
 * predicting exactly what tfjs predicts, and clear errors for files that are not Keras models.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKerasModel, probePixels, writeKerasModel } from '../../../../../main/engine/export/keras-h5';
import { readKerasH5, writeKerasH5 } from '../../../../../main/engine/export/keras-h5-file';
import { PIXEL_SCALING_LAYER } from '../../../../../main/engine/export/keras-topology';
import { applyScaling } from '../../../../../main/engine/models/scale';
import { mobileNetLike } from './mobilenet-like';

const PYTHON = '/usr/bin/python3';
const H5PY_DUMP = `
import json, sys, h5py
f = h5py.File(sys.argv[1], 'r')
mw = f['model_weights']
names = [n.decode() if isinstance(n, bytes) else n for n in mw.attrs['layer_names']]
layers = {}
for n in names:
    g = mw[n]
    wn = [w.decode() if isinstance(w, bytes) else w for w in g.attrs.get('weight_names', [])]
    layers[n] = [[w, list(g[w].shape), str(g[w].dtype)] for w in wn]
attr = lambda v: v.decode() if isinstance(v, bytes) else v
print(json.dumps({'root_attrs': sorted(f.attrs.keys()), 'keras_version': attr(f.attrs['keras_version']),
  'backend': attr(f.attrs['backend']), 'model_config': json.loads(attr(f.attrs['model_config'])),
  'layer_names': names, 'layers': layers}))
`;

let work = '';
let model: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-keras-h5-'));
  model = mobileNetLike();
});

afterAll(async () => {
  model.dispose();
  await fs.rm(work, { recursive: true, force: true });
});

describe('Keras .h5 export', () => {
  it('writes the layout tf.keras.models.load_model reads, checked with h5py', async () => {
    const file = path.join(work, 'model.h5');
    await writeKerasModel(model, 'x/127.5-1', file);
    const dump = JSON.parse(execFileSync(PYTHON, ['-c', H5PY_DUMP, file], { encoding: 'utf8' }));
    expect(dump.root_attrs).toEqual(['backend', 'keras_version', 'model_config']);
    expect(dump.keras_version).toMatch(/^2\./);
    expect(dump.backend).toBe('tensorflow');
    expect(dump.model_config.class_name).toBe('Functional');
    const configLayers = dump.model_config.config.layers as {
      name: string;
      class_name: string;
      config: Record<string, unknown>;
    }[];
    expect(configLayers.slice(0, 3).map((l) => l.class_name)).toEqual(['InputLayer', 'Rescaling', 'Conv2D']);
    expect(configLayers[1]!.config).toMatchObject({
      name: PIXEL_SCALING_LAYER,
      scale: 1 / 127.5,
      offset: -1,
      dtype: 'float32',
    });
    expect(dump.layer_names).toEqual(configLayers.map((l) => l.name));
    expect(dump.layer_names).toEqual(['input_1', PIXEL_SCALING_LAYER, ...model.layers.slice(1).map((l) => l.name)]);
    // Per layer: the tfjs model's weights, in its order, with Keras names and the same shapes.
    for (const layer of model.layers) {
      const want = layer.weights.map((w) => [
        `${layer.name}/${w.originalName.split('/').at(-1)}:0`,
        w.shape,
        'float32',
      ]);
      expect(dump.layers[layer.name], layer.name).toEqual(want);
    }
    expect(dump.layers['bn_Conv1'].map((w: string[]) => w[0])).toEqual([
      'bn_Conv1/gamma:0',
      'bn_Conv1/beta:0',
      'bn_Conv1/moving_mean:0',
      'bn_Conv1/moving_variance:0',
    ]);
  });

  it('reloads into tfjs predicting what the model predicts on scaled pixels (≤ 1e-5), without leaking tensors', async () => {
    const file = path.join(work, 'model.h5');
    const baseline = tf.memory().numTensors;
    const reloaded = await loadKerasModel(file);
    const [want, got] = tf.tidy(() => {
      const pixels = probePixels(3, 16);
      return [model.predict(applyScaling(pixels, 'x/127.5-1')) as tf.Tensor, reloaded.predict(pixels) as tf.Tensor];
    });
    const diff = tf.tidy(() => got.sub(want).abs().max().dataSync()[0]!);
    expect(diff).toBeLessThanOrEqual(1e-5);
    const top1 = tf.tidy(() => [got.argMax(-1).arraySync(), want.argMax(-1).arraySync()]);
    expect(top1[0]).toEqual(top1[1]);
    tf.dispose([want, got]);
    reloaded.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('round-trips every weight bit for bit through the file layer', async () => {
    const content = await readKerasH5(path.join(work, 'model.h5'));
    const copy = path.join(work, 'copy.h5');
    await writeKerasH5(copy, content);
    expect(await readKerasH5(copy)).toEqual(content);
  });
});

describe('reading files that are not Keras models', () => {
  it('names the file and says it is not HDF5', async () => {
    const file = path.join(work, 'notes.h5');
    await fs.writeFile(file, 'just some text, not HDF5 at all '.repeat(40));
    await expect(readKerasH5(file)).rejects.toThrow(
      `"${file}" cannot be read as a Keras .h5 model: it is not an HDF5 file`,
    );
  });

  it('names the file and says it may be truncated', async () => {
    const whole = await fs.readFile(path.join(work, 'model.h5'));
    const file = path.join(work, 'truncated.h5');
    await fs.writeFile(file, whole.subarray(0, Math.floor(whole.length / 3)));
    await expect(loadKerasModel(file)).rejects.toThrow(
      /"[^"]*truncated\.h5" cannot be read as a Keras \.h5 model: .*truncated/,
    );
  });

  it('says what is missing from an HDF5 file that is not a Keras model', async () => {
    const file = path.join(work, 'other.h5');
    execFileSync(PYTHON, [
      '-c',
      'import sys, h5py; f = h5py.File(sys.argv[1], "w"); f["data"] = [1, 2, 3]; f.attrs["title"] = "x"',
      file,
    ]);
    await expect(readKerasH5(file)).rejects.toThrow(
      `"${file}" cannot be read as a Keras .h5 model: it is not a Keras model file: no "model_config" attribute and no "layer_names".`,
    );
  });

  it('explains that a weights-only file (keras.applications *_notop.h5) has no architecture', async () => {
    const file = path.join(work, 'weights_only.h5');
    const script = `
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'w')
f.attrs['layer_names'] = [b'Conv1']
f.attrs['backend'] = b'tensorflow'
f.attrs['keras_version'] = b'2.2.4'
g = f.create_group('Conv1')
g.attrs['weight_names'] = [b'Conv1/kernel:0']
g.create_dataset('Conv1/kernel:0', data=np.ones((3, 3, 3, 8), dtype='float32'))
`;
    execFileSync(PYTHON, ['-c', script, file]);
    const content = await readKerasH5(file);
    expect(content.modelConfig).toBeUndefined();
    expect(content.layers[0]!.weights[0]!.shape).toEqual([3, 3, 3, 8]);
    await expect(loadKerasModel(file)).rejects.toThrow(`"${file}" holds only weights (no "model_config" attribute)`);
  });
});
