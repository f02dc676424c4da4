/**
 * The `onnx` format on small real tfjs models: a convertible model (x/127.5 − 1 base scaling) exports one
 * graph that ORT runs on raw pixels and `verify` passes on noise images (a run without test images); a model
 * with a layer the converter does not know fails this format with an error naming the layer and its class.
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxFormat } from '../../../../../main/engine/export/onnx-format';
import type { ExportContext, ExportRun } from '../../../../../main/engine/export/registry';
import { saveModel } from '../../../../../main/engine/training/checkpoint';
import { backendReady } from '../../../../../main/engine/runtime';
import { onnx } from '../../../../../main/engine/onnx/proto';

const ctx: ExportContext = {
  signal: new AbortController().signal,
  formats: ['onnx'],
  appVersion: '0.0.0-test',
  timeStamp: '2026-01-01T00:00:00.000Z',
};

let tmp = '';

/** A run folder view on a small model saved in `<tmp>/<name>/model`, 16-pixel inputs, 2 classes. */
async function runWith(name: string, middle: (x: tf.SymbolicTensor) => tf.SymbolicTensor): Promise<ExportRun> {
  const input = tf.input({ shape: [16, 16, 3] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  x = middle(x as tf.SymbolicTensor);
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const output = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const modelDir = path.join(tmp, name, 'model');
  await saveModel(model, modelDir);
  model.dispose();
  return {
    runDir: path.join(tmp, name),
    state: {} as ExportRun['state'],
    modelDir,
    classes: ['cat', 'dog'],
    base: { id: 'tiny', scaling: 'x/127.5-1' } as ExportRun['base'],
    preprocess: { size: 16, resize: 'cover', background: '#ffffff' },
  };
}

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  await backendReady();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-format-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('onnx format', () => {
  it('exports a convertible model as one graph on raw pixels and verifies it on noise images', async () => {
    const run = await runWith('ok', (x) => tf.layers.batchNormalization({}).apply(x) as tf.SymbolicTensor);
    const dir = path.join(tmp, 'ok-export');
    await mkdir(dir);
    const baseline = tf.memory().numTensors;
    await onnxFormat.export(run, dir, ctx);
    expect((await readdir(dir)).sort()).toEqual(['metadata.json', 'model.onnx']);
    const model = onnx.ModelProto.decode(await readFile(path.join(dir, 'model.onnx')));
    expect((model.graph?.node ?? []).some((n) => n.opType === 'Softmax')).toBe(true);
    expect(model.metadataProps.find((p) => p.key === 'labels')?.value).toBe('["cat","dog"]');
    const verify = await onnxFormat.verify(dir, run, ctx);
    expect(verify.ok).toBe(true);
    expect(verify.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(verify.detail).toContain('noise images');
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('fails naming the layer and its class when a layer cannot be converted', async () => {
    const run = await runWith(
      'bad',
      (x) => tf.layers.upSampling2d({ size: [2, 2], name: 'grow' }).apply(x) as tf.SymbolicTensor,
    );
    const dir = path.join(tmp, 'bad-export');
    await mkdir(dir);
    const baseline = tf.memory().numTensors;
    await expect(onnxFormat.export(run, dir, ctx)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/Layer "grow" of class UpSampling2D cannot be converted to ONNX/),
    });
    expect(await readdir(dir)).toEqual([]);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
