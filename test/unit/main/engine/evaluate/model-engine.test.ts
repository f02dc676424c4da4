/**
 * The engine choice for whole models: a model that converts runs on ORT and agrees with tfjs (≤ 1e-4) for
 * every input kind (scaled, raw pixels, Teachable Machine's x/127 − 1); a layer the converter does not know
 * falls back to tfjs naming the layer; forcing ORT then fails; TRANSFER_STUDIO_INFERENCE is checked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredInference, createRunner, type RunnerInput } from '../../../../../main/engine/evaluate/model-engine';
import { backendReady } from '../../../../../main/engine/runtime';

let tmp = '';

function classifier(middle?: (x: tf.SymbolicTensor) => tf.SymbolicTensor): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3] });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' })
    .apply(input);
  if (middle) x = middle(x as tf.SymbolicTensor);
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const output = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

function pixels(n: number): Uint8Array {
  const out = new Uint8Array(n * 12 * 12 * 3);
  for (let i = 0; i < out.length; i++) out[i] = (i * 37 + 11) % 256;
  return out;
}

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  await backendReady();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'model-engine-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('model engine', () => {
  it.each<RunnerInput['input']>(['scaled', 'pixels', 'tm'])('ORT equals tfjs for input %s', async (input) => {
    const model = classifier();
    const baseline = tf.memory().numTensors;
    const spec: RunnerInput = { input, scaling: 'x/127.5-1', size: 12 };
    const ort = await createRunner(model, spec, { cacheDir: tmp });
    const tfjs = await createRunner(model, spec, { engine: 'tfjs' });
    expect(ort.engine).toMatchObject({ engine: 'onnxruntime', provider: 'cpu' });
    expect(tfjs.engine.engine).toBe('tfjs');
    const a = await ort.predict(pixels(5), 5);
    const b = await tfjs.predict(pixels(5), 5);
    expect(a).toHaveLength(5);
    const worst = Math.max(...a.flatMap((row, i) => row.map((p, j) => Math.abs(p - b[i]![j]!))));
    expect(worst).toBeLessThanOrEqual(1e-4);
    await ort.dispose();
    await tfjs.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('a layer that does not convert: tfjs with the reason naming it; engine "onnxruntime" fails naming it', async () => {
    const model = classifier(
      (x) => tf.layers.upSampling2d({ size: [2, 2], name: 'grow' }).apply(x) as tf.SymbolicTensor,
    );
    const spec: RunnerInput = { input: 'scaled', scaling: 'x/255', size: 12 };
    const runner = await createRunner(model, spec, { cacheDir: tmp });
    expect(runner.engine.engine).toBe('tfjs');
    expect(runner.engine.reason).toContain('layer "grow" (UpSampling2D)');
    expect(await runner.predict(pixels(2), 2)).toHaveLength(2);
    await expect(createRunner(model, spec, { engine: 'onnxruntime', cacheDir: tmp })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('"grow"'),
    });
    model.dispose();
  });

  it('TRANSFER_STUDIO_INFERENCE: auto by default; a bad value is quoted', () => {
    expect(configuredInference({})).toBe('auto');
    expect(configuredInference({ TRANSFER_STUDIO_INFERENCE: 'tfjs' })).toBe('tfjs');
    expect(() => configuredInference({ TRANSFER_STUDIO_INFERENCE: 'gpu' })).toThrow(/received "gpu"/);
  });
});
