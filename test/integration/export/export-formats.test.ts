/**
 * Export of a real small run (tfjs + tm, and a format that does not exist), each reloaded outside the
 * exporter: the TF.js folder with tf.loadLayersModel on raw pixels (≤ 1e-5 of the app, top-1 equal on every
 * test image), the tm folder on Teachable Machine's x/127 − 1; the run.json records, the model card and
 * labels.txt; and the CLI (`transfer-studio export … --json`, non-zero exit when a format failed).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/engine/export/run-export';
import { SHARD_BYTES } from '../../../main/engine/export/layers-model-files';
import { fileSystemLoader } from '../../../main/engine/models/io/fs-handler';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { ModelMetadata } from '../../../shared/contract/model-metadata';
import { ExportRunResponse } from '../../../shared/contract/export';
import { argmax, trainExportRun, type ExportedRun } from './exported-run';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const execute = promisify(execFile);

describe('export formats of a real run', () => {
  let tmp = '';
  let run: ExportedRun;
  let response: ExportRunResponse;
  let baseline = 0;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'export-formats-'));
    run = await trainExportRun(tmp);
    baseline = tf.memory().numTensors;
    const phases: string[] = [];
    response = await runExport(
      { runDir: run.runDir, formats: ['tfjs', 'tm', 'no-such-format'] },
      { progress: (p) => phases.push(`${p.format}:${p.phase}`) },
    );
    expect(phases).toEqual([
      'tfjs:export',
      'tfjs:verify',
      'tfjs:done',
      'tm:export',
      'tm:verify',
      'tm:done',
      'no-such-format:failed',
    ]);
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('reports each format on its own: two exported and verified, the unknown one failed with its error', () => {
    expect(run.tests.length).toBeGreaterThanOrEqual(3);
    expect(response.ok).toBe(false);
    const [tfjs, tm, unknown] = response.results;
    expect(tfjs).toMatchObject({
      format: 'tfjs',
      ok: true,
      dir: path.join(run.runDir, 'exports', 'tfjs'),
      verify: { ok: true },
    });
    expect(tm).toMatchObject({
      format: 'tm',
      ok: true,
      dir: path.join(run.runDir, 'exports', 'tm'),
      verify: { ok: true },
    });
    expect(unknown).toMatchObject({ format: 'no-such-format', ok: false, files: [], error: { code: 'BAD_INPUT' } });
    expect(unknown!.error!.message).toContain('"no-such-format"');
    expect(existsSync(unknown!.dir)).toBe(false);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('writes shards of at most 4 MiB, sizes as reported, and records each export in run.json', async () => {
    const state = await readRunState(run.runDir);
    for (const result of response.results.filter((r) => r.ok)) {
      const names = result.files.map((f) => f.path);
      expect(names).toEqual(
        expect.arrayContaining(['model.json', 'metadata.json', 'labels.txt', 'README.md', 'group1-shard1of3.bin']),
      );
      for (const file of result.files) {
        const size = (await stat(path.join(result.dir, file.path))).size;
        expect(size).toBe(file.bytes);
        if (file.path.endsWith('.bin')) expect(size).toBeLessThanOrEqual(SHARD_BYTES);
      }
      expect(state.exports?.[result.format]?.files).toEqual(names);
    }
    expect(Object.keys(state.exports ?? {})).toEqual(['tfjs', 'tm']);
  });

  it('TF.js: tf.loadLayersModel loads the folder; raw pixels give the app’s probabilities (≤ 1e-5) and top-1 on every test image', async () => {
    const model = await tf.loadLayersModel(fileSystemLoader(path.join(run.runDir, 'exports', 'tfjs', 'model.json')));
    expect(model.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
    expect(model.layers[1]!.getClassName()).toBe('Rescaling');
    let worst = 0;
    for (const test of run.tests) {
      const out = tf.tidy(
        () => model.predict(tf.tensor4d(test.pixels, [1, 224, 224, 3], 'int32').toFloat()) as tf.Tensor,
      );
      const probabilities = Array.from(await out.data());
      out.dispose();
      worst = Math.max(worst, ...probabilities.map((p, i) => Math.abs(p - test.probabilities[i]!)));
      expect(argmax(probabilities)).toBe(argmax(test.probabilities));
    }
    model.dispose();
    console.log(`tfjs export vs app on ${run.tests.length} test images: max |Δ| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('tm: the folder takes x/127 − 1 and agrees with the app; metadata.json has Teachable Machine’s fields', async () => {
    const dir = path.join(run.runDir, 'exports', 'tm');
    const metadata = ModelMetadata.parse(JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8')));
    expect(metadata).toMatchObject({
      tfjsVersion: '1.3.1',
      packageName: '@teachablemachine/image',
      labels: run.classes,
      imageSize: 224,
    });
    expect(metadata.transferStudio).toMatchObject({ input: 'tm', scaling: 'x/255', base: 'nsfwjs-mobilenet-v2' });
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
      modelTopology: { config: { layers: { class_name: string }[] } };
    };
    expect(json.modelTopology.config.layers[1]!.class_name).toBe('BatchNormalization');
    expect(json.modelTopology.config.layers.map((l) => l.class_name)).not.toContain('Rescaling');
    const model = await tf.loadLayersModel(fileSystemLoader(path.join(dir, 'model.json')));
    for (const test of run.tests) {
      const out = tf.tidy(
        () => model.predict(tf.tensor4d(test.pixels, [1, 224, 224, 3], 'int32').toFloat().div(127).sub(1)) as tf.Tensor,
      );
      const probabilities = Array.from(await out.data());
      out.dispose();
      expect(argmax(probabilities)).toBe(argmax(test.probabilities));
      probabilities.forEach((p, i) => expect(Math.abs(p - test.probabilities[i]!)).toBeLessThanOrEqual(1e-4));
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('every export has labels.txt and a model card naming classes, base and licence, input, training, the run’s evaluation and snippets', async () => {
    for (const format of ['tfjs', 'tm']) {
      const dir = path.join(run.runDir, 'exports', format);
      expect(await readFile(path.join(dir, 'labels.txt'), 'utf8')).toBe(
        run.classes.map((c, i) => `${i} ${c}`).join('\n') + '\n',
      );
      const card = await readFile(path.join(dir, 'README.md'), 'utf8');
      for (const name of run.classes) expect(card).toContain(`| ${name} |`);
      expect(card).toContain('Licence: MIT (nsfwjs)');
      expect(card).toContain('Resize: cover');
      expect(card).toContain('Phase 1 (head on frozen base features): up to 4 epochs');
      // Every run ends by evaluating its test split (evaluation.json): the card shows it.
      expect(card).toContain(`on ${run.tests.length} held-out test images`);
      expect(card).toContain('Confusion matrix (rows: true class, columns: predicted class)');
      expect(card).toContain("tf.loadLayersModel('model.json')");
      expect(card).toContain(format === 'tfjs' ? 'raw pixel values 0–255' : '`x/127 − 1`');
      if (format === 'tm') expect(card).toContain("tmImage.load('model.json', 'metadata.json')");
    }
  });

  it('CLI: `export --format tfjs --out DIR --json` exports outside the run; an unknown format fails with exit code 1', async () => {
    if (!existsSync(path.join(repo, 'out', 'cli', 'entry.js')))
      throw new Error('out/ is not built: run `node scripts/build.mjs` first.');
    const out = path.join(tmp, 'cli-out');
    const env = { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm' };
    const { stdout } = await execute(
      process.execPath,
      ['bin/transfer-studio.js', 'export', run.runDir, '--format', 'tfjs', '--out', out, '--json'],
      { cwd: repo, env },
    );
    const result = ExportRunResponse.parse(JSON.parse(stdout));
    expect(result.ok).toBe(true);
    expect(result.results[0]).toMatchObject({ format: 'tfjs', ok: true, dir: path.join(out, 'tfjs') });
    expect(existsSync(path.join(out, 'tfjs', 'model.json'))).toBe(true);
    const failed = await execute(
      process.execPath,
      ['bin/transfer-studio.js', 'export', run.runDir, '--format', 'tm,nope'],
      { cwd: repo, env },
    ).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('✓ tm →');
    expect(failed?.stdout).toContain('✗ nope: Unknown export format "nope"');
  });
});
