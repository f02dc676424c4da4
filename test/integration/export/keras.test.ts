/**
 * The Keras formats on a real run (Fashion-MNIST through the bundled MobileNetV2 on wasm, head + one fine-tuned
 * block): `keras` and `job` through the export registry, model.h5 checked with h5py and re-imported as a base that
 * predicts what the app predicts on every test image, and the job's manifest equal to the run's split.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { backendReady } from '../../../main/engine/runtime';
import { trainRun } from '../../../main/engine/training/run';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { runExport } from '../../../main/engine/export/run-export';
import { loadModelFolder } from '../../../main/engine/export/keras-h5';
import { importKerasFile } from '../../../main/engine/models/bases/import-keras';
import { loadBase } from '../../../main/engine/models/bases/registry';
import { applyScaling } from '../../../main/engine/models/scale';
import { preprocessImage } from '../../../main/engine/data/preprocess';
import type { ExportRunResponse } from '../../../shared/contract/export';
import type { TrainResponse } from '../../../shared/contract/training';

const quiet = { signal: new AbortController().signal, progress: () => undefined };
const H5_LAYERS = `
import json, sys, h5py
f = h5py.File(sys.argv[1], 'r')
names = [n.decode() if isinstance(n, bytes) else n for n in f['model_weights'].attrs['layer_names']]
config = json.loads(f.attrs['model_config'])
print(json.dumps({'names': names, 'classes': [l['class_name'] for l in config['config']['layers']],
  'shapes': {n: [list(f['model_weights'][n][w].shape) for w in f['model_weights'][n].attrs.get('weight_names', [])] for n in names}}))
`;

let tmp = '';
let trained: TrainResponse;
let exported: ExportRunResponse;

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  expect((await backendReady()).name).toBe('wasm');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'keras-export-'));
  const images = await fashionMnistFolders({ perClass: 15, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 400 });
  trained = await trainRun(
    {
      dirs: [images],
      runDir: path.join(tmp, 'run'),
      cacheDir: path.join(tmp, 'cache'),
      split: { train: 0.6, validation: 0.2, test: 0.2 },
      config: { epochs: 3, batchSize: 8, seed: 5, fineTune: { top: 1, epochs: 1 } },
    } as never,
    quiet,
  );
  const started = Date.now();
  exported = await runExport({ runDir: trained.runDir, formats: ['keras', 'job'] });
  console.log(
    `keras + job export of a MobileNetV2 run: ${Date.now() - started} ms`,
    JSON.stringify(exported.results.map((r) => ({ verify: r.verify, files: r.files }))),
  );
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('Keras export of a real run', () => {
  it('both formats succeed and verify; run.json records them', async () => {
    expect(exported.results.map((r) => [r.format, r.ok, r.error])).toEqual([
      ['keras', true, undefined],
      ['job', true, undefined],
    ]);
    expect(exported.results[0]!.verify!.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const state = await readRunState(trained.runDir);
    expect(Object.keys(state.exports ?? {})).toEqual(['keras', 'job']);
  });

  it('exporting again (to --out) leaks no tensors', async () => {
    const baseline = tf.memory().numTensors;
    const again = await runExport({ runDir: trained.runDir, formats: ['keras', 'job'], outDir: path.join(tmp, 'out') });
    expect(again.ok).toBe(true);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('model.h5 has the run model layers (after a Rescaling) and their weight shapes, checked with h5py', async () => {
    const file = path.join(exported.results[0]!.dir, 'model.h5');
    const dump = JSON.parse(execFileSync('/usr/bin/python3', ['-c', H5_LAYERS, file], { encoding: 'utf8' }));
    const model = await loadModelFolder(path.join(trained.runDir, 'model'));
    expect(dump.names).toEqual([model.layers[0]!.name, 'input_scaling', ...model.layers.slice(1).map((l) => l.name)]);
    expect(dump.classes.slice(0, 2)).toEqual(['InputLayer', 'Rescaling']);
    for (const layer of model.layers)
      expect(dump.shapes[layer.name], layer.name).toEqual(layer.weights.map((w) => w.shape));
    model.dispose();
  });

  it('imports back as a base predicting what the app predicts on every test image (≤ 1e-5, same top-1)', async () => {
    const file = path.join(exported.results[0]!.dir, 'model.h5');
    const cacheDir = path.join(tmp, 'bases');
    const info = await importKerasFile(file, { cacheDir, cutLayer: 'predictions' });
    expect(info).toMatchObject({ scaling: 'x', inputSize: 224, featureShape: [3] });
    const state = await readRunState(trained.runDir);
    const tests = state.test!.images;
    expect(tests.length).toBeGreaterThan(0);
    const pixels = await Promise.all(tests.map((t) => preprocessImage(t.path, { size: 224 })));
    const batch = tf.tensor4d(Buffer.concat(pixels.map((p) => p.data)), [tests.length, 224, 224, 3], 'int32');
    const imported = await loadBase(info.id, { cacheDir });
    const app = await loadModelFolder(path.join(trained.runDir, 'model'));
    const [got, want] = tf.tidy(() => [
      imported.model.predict(batch.toFloat()) as tf.Tensor,
      app.predict(applyScaling(batch.toFloat(), 'x/255')) as tf.Tensor,
    ]);
    const diff = tf.tidy(() => got.sub(want).abs().max().dataSync()[0]!);
    console.log(`round trip on ${tests.length} test images: max |Δ| ${diff}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
    expect(tf.tidy(() => got.argMax(-1).arraySync())).toEqual(tf.tidy(() => want.argMax(-1).arraySync()));
    tf.dispose([batch, got, want]);
    imported.model.dispose();
    app.dispose();
  });
});

describe('Keras training job of a real run', () => {
  it('the manifest is the run split: its test rows are run.json test images, the rest train + validation', async () => {
    const dir = exported.results[1]!.dir;
    const rows = (await readFile(path.join(dir, 'manifest.csv'), 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('path,label,split');
    const parsed = rows.slice(1).map((r) => r.split(','));
    const state = await readRunState(trained.runDir);
    const testRows = parsed.filter((r) => r[2] === 'test');
    expect(testRows.map((r) => r[0]).sort()).toEqual(state.test!.images.map((i) => i.path).sort());
    for (const row of testRows) {
      const recorded = state.test!.images.find((i) => i.path === row[0])!;
      expect(row[1]).toBe(state.classes[recorded.label]);
    }
    expect(parsed.filter((r) => r[2] === 'train')).toHaveLength(trained.trainImages);
    expect(parsed.filter((r) => r[2] === 'validation')).toHaveLength(trained.valImages);
  });

  it('train.py compiles, names the fine-tuned block, and base.h5 is the base with its scaling', async () => {
    const dir = exported.results[1]!.dir;
    expect(exported.results[1]!.files.map((f) => f.path)).toEqual([
      'base.h5',
      'labels.txt',
      'manifest.csv',
      'README.md',
      'train.py',
      'TRAINING.md',
    ]);
    execFileSync('/usr/bin/python3', ['-m', 'py_compile', path.join(dir, 'train.py')]);
    const script = await readFile(path.join(dir, 'train.py'), 'utf8');
    expect(script).toMatch(/FINE_TUNE_LAYERS = \[.*"Conv_1".*\]/);
    expect(script).toContain('CLASSES = ["Bag", "Sneaker", "Trouser"]');
    const dump = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', H5_LAYERS, path.join(dir, 'base.h5')], { encoding: 'utf8' }),
    );
    expect(dump.classes.slice(0, 2)).toEqual(['InputLayer', 'Rescaling']);
    const base = await loadBase(trained.base);
    expect(dump.names).toEqual([
      base.model.layers[0]!.name,
      'input_scaling',
      ...base.model.layers.slice(1).map((l) => l.name),
    ]);
    base.model.dispose();
    expect(await readFile(path.join(dir, 'TRAINING.md'), 'utf8')).toContain('MultiWorkerMirroredStrategy');
  });
});
