import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTfjsFolder, inspectTfjsFolder } from '../../../../../main/engine/models/bases/import-tfjs';
import { listBases, loadBase } from '../../../../../main/engine/models/bases/registry';
import { fileSystemSaver } from '../../../../../main/engine/models/io/fs-handler';
import { scalePixels } from '../../../../../main/engine/models/scale';
import { assembleModel } from '../../../../../main/engine/models/assemble';
import { buildHead } from '../../../../../main/engine/models/head';
import { summarize } from '../../../../../main/engine/models/summary';

let work = '';
let folder = '';
let original: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-import-'));
  folder = path.join(work, 'my classifier');
  const input = tf.input({ shape: [16, 16, 3], name: 'image' });
  let x = tf.layers
    .conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv_a' })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn_a' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 10, name: 'logits' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'softmax', name: 'probs' }).apply(x) as tf.SymbolicTensor;
  original = tf.model({ inputs: input, outputs: x });
  await original.save(fileSystemSaver(folder));
});

afterAll(async () => {
  original.dispose();
  await fs.rm(work, { recursive: true, force: true });
});

describe('importing a tfjs layers-model folder', () => {
  it('validates it and proposes the last pooling layer before the classifier', async () => {
    const info = await inspectTfjsFolder(folder);
    expect(info.inputSize).toBe(16);
    expect(info.defaultCutLayer).toBe('gap');
    expect(info.layers.map((l) => l.name)).toEqual(['conv_a', 'bn_a', 'gap', 'logits', 'probs']);
    expect(info.layers[0]!.outputShape).toEqual([null, 14, 14, 6]);
  });

  it('imports with the default cut; features equal the original model cut by hand', async () => {
    const baseline = tf.memory().numTensors;
    const info = await importTfjsFolder(folder, { cacheDir: work, scaling: 'x/127.5-1' });
    expect(info).toMatchObject({
      id: 'imported-my-classifier',
      source: 'imported',
      inputSize: 16,
      cutLayer: 'gap',
      featureShape: [6],
    });
    expect((await listBases({ cacheDir: work })).find((b) => b.id === info.id)).toMatchObject({
      cached: true,
      featureSize: 6,
    });
    const base = await loadBase(info.id, { cacheDir: work });
    const x = scalePixels(
      new Uint8Array(2 * 16 * 16 * 3).map((_, i) => (i * 7) % 256),
      base.info,
    );
    const got = base.model.predict(x) as tf.Tensor;
    const direct = tf.model({ inputs: original.inputs, outputs: original.getLayer('gap').output as tf.SymbolicTensor });
    const want = direct.predict(x) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([x, got, want]);
    const head = buildHead({ layers: [] }, base.info.featureShape, 3);
    const model = assembleModel(base.model, head);
    expect(summarize(model).trainableParams).toBe(6 * 3 + 3);
    model.dispose();
    head.dispose(); // the head's layers are shared by two models: both must be disposed
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('can cut at any single-output layer; a spatial cut keeps its shape', async () => {
    const info = await importTfjsFolder(folder, {
      cacheDir: work,
      scaling: 'x/255',
      cutLayer: 'bn_a',
      name: 'spatial',
    });
    expect(info.featureShape).toEqual([14, 14, 6]);
    expect(info.id).toBe('imported-spatial');
    const again = await importTfjsFolder(folder, {
      cacheDir: work,
      scaling: 'x/255',
      cutLayer: 'bn_a',
      name: 'spatial',
    });
    expect(again.id).toBe('imported-spatial-2');
  });

  it('rejects unknown cut layers, missing shards, truncated shards and non-models, naming them', async () => {
    await expect(importTfjsFolder(folder, { cacheDir: work, scaling: 'x', cutLayer: 'nope' })).rejects.toThrow(
      /Cannot cut at "nope": .* has no single-output layer of that name/,
    );
    const broken = path.join(work, 'broken');
    await fs.cp(folder, broken, { recursive: true });
    const shard = path.join(broken, 'weights.bin');
    await fs.writeFile(shard, (await fs.readFile(shard)).subarray(0, 100));
    await expect(inspectTfjsFolder(broken)).rejects.toThrow(/hold 100 bytes but model.json describes \d+/);
    await fs.rm(shard);
    await expect(inspectTfjsFolder(broken)).rejects.toThrow(/Weight shard "weights.bin" is missing/);
    await fs.writeFile(path.join(broken, 'model.json'), '{"hello": 1}');
    await expect(inspectTfjsFolder(broken)).rejects.toThrow(/is not a tfjs model: it has no modelTopology/);
    await expect(inspectTfjsFolder(path.join(work, 'nowhere'))).rejects.toThrow(/No model.json at/);
  });

  it('refuses a model.json whose shards point outside its folder', async () => {
    const sneaky = path.join(work, 'sneaky');
    await fs.cp(folder, sneaky, { recursive: true });
    const json = JSON.parse(await fs.readFile(path.join(sneaky, 'model.json'), 'utf8'));
    for (const bad of ['../secret.bin', '/etc/passwd', 'sub/../../x.bin']) {
      json.weightsManifest[0].paths = [bad];
      await fs.writeFile(path.join(sneaky, 'model.json'), JSON.stringify(json));
      await expect(inspectTfjsFolder(sneaky)).rejects.toThrow(
        `names an unsafe or invalid weight file ${JSON.stringify(bad)}`,
      );
      await expect(importTfjsFolder(sneaky, { cacheDir: work, scaling: 'x' })).rejects.toThrow(
        /unsafe or invalid weight file/,
      );
    }
  });
});
