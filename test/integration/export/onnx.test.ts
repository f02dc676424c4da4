/**
 * The ONNX export of a real small run (Fashion-MNIST through the bundled MobileNetV2): through the registry,
 * reloaded in onnxruntime-node on raw pixels of every test image (≤ 1e-4 of the app's probabilities, top-1
 * equal), checked by Debian's python3-onnx (`onnx.checker.check_model`, opset, metadata_props), the model
 * card and metadata.json; and the CLI `export --format onnx`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/engine/export/run-export';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { ModelMetadata } from '../../../shared/contract/model-metadata';
import { ExportRunResponse } from '../../../shared/contract/export';
import { argmax, trainExportRun, type ExportedRun } from './exported-run';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const execute = promisify(execFile);
const CHECK = `
import json, sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
g = m.graph
dims = lambda v: [d.dim_value or d.dim_param for d in v.type.tensor_type.shape.dim]
print(json.dumps({'opset': [o.version for o in m.opset_import if o.domain in ('', 'ai.onnx')][0],
  'props': {p.key: p.value for p in m.metadata_props},
  'input': [g.input[0].name, dims(g.input[0]), g.input[0].type.tensor_type.elem_type],
  'output': [g.output[0].name, dims(g.output[0])]}))
`;

describe('ONNX export of a real run', () => {
  let tmp = '';
  let run: ExportedRun;
  let response: ExportRunResponse;
  let baseline = 0;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'export-onnx-'));
    run = await trainExportRun(tmp);
    baseline = tf.memory().numTensors;
    const started = Date.now();
    response = await runExport({ runDir: run.runDir, formats: ['onnx'] });
    console.log(`onnx export of a MobileNetV2 run: ${Date.now() - started} ms`, JSON.stringify(response.results[0]));
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('exports and verifies in ORT (≤ 1e-4, top-1 equal); run.json records it; no tensor leaks', async () => {
    expect(response.ok).toBe(true);
    const [result] = response.results;
    expect(result).toMatchObject({ format: 'onnx', ok: true, dir: path.join(run.runDir, 'exports', 'onnx') });
    expect(result!.verify!.ok).toBe(true);
    expect(result!.verify!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(result!.verify!.detail).toContain('onnxruntime-node');
    expect(result!.files.map((f) => f.path).sort()).toEqual(['README.md', 'labels.txt', 'metadata.json', 'model.onnx']);
    const state = await readRunState(run.runDir);
    expect(Object.keys(state.exports ?? {})).toEqual(['onnx']);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('model.onnx in onnxruntime-node: raw pixels of every test image give the app’s probabilities (≤ 1e-4), same top-1', async () => {
    const session = await ort.InferenceSession.create(path.join(run.runDir, 'exports', 'onnx', 'model.onnx'));
    expect(session.inputNames).toEqual(['pixels']);
    expect(session.outputNames).toEqual(['probabilities']);
    const pixels = new Float32Array(run.tests.length * 224 * 224 * 3);
    run.tests.forEach((test, i) => pixels.set(test.pixels, i * 224 * 224 * 3));
    const out = await session.run({ pixels: new ort.Tensor('float32', pixels, [run.tests.length, 224, 224, 3]) });
    await session.release();
    const data = out['probabilities']!.data as Float32Array;
    expect(out['probabilities']!.dims).toEqual([run.tests.length, 3]);
    let worst = 0;
    run.tests.forEach((test, i) => {
      const row = Array.from(data.subarray(i * 3, i * 3 + 3));
      worst = Math.max(worst, ...row.map((p, j) => Math.abs(p - test.probabilities[j]!)));
      expect(argmax(row)).toBe(argmax(test.probabilities));
    });
    console.log(`onnx export vs app on ${run.tests.length} test images: max |Δ| ${worst.toExponential(2)}`);
    expect(run.tests.length).toBeGreaterThanOrEqual(3);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('python3-onnx: check_model passes; opset ≥ 13; NHWC float input; labels and preprocessing in metadata_props', async () => {
    const file = path.join(run.runDir, 'exports', 'onnx', 'model.onnx');
    const report = JSON.parse(execFileSync('/usr/bin/python3', ['-c', CHECK, file], { encoding: 'utf8' })) as {
      opset: number;
      props: Record<string, string>;
      input: [string, (number | string)[], number];
      output: [string, (number | string)[]];
    };
    expect(report.opset).toBeGreaterThanOrEqual(13);
    expect(report.input).toEqual(['pixels', ['N', 224, 224, 3], 1]);
    expect(report.output).toEqual(['probabilities', ['N', 3]]);
    expect(JSON.parse(report.props['labels']!)).toEqual(run.classes);
    const metadata = ModelMetadata.parse(
      JSON.parse(await readFile(path.join(run.runDir, 'exports', 'onnx', 'metadata.json'), 'utf8')),
    );
    expect(JSON.parse(report.props['transferStudio']!)).toEqual(metadata.transferStudio);
    expect(metadata.transferStudio).toMatchObject({ input: 'pixels', scaling: 'x/255', base: expect.any(String) });
    expect(metadata.labels).toEqual(run.classes);
  });

  it('the model card says the input is raw pixels (as the TF.js export) and shows the onnxruntime snippet', async () => {
    const dir = path.join(run.runDir, 'exports', 'onnx');
    const card = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(card).toContain('ort.InferenceSession("model.onnx")');
    const tfjs = await runExport({ runDir: run.runDir, formats: ['tfjs'], outDir: path.join(tmp, 'tfjs-card') });
    const tfjsCard = await readFile(path.join(tfjs.results[0]!.dir, 'README.md'), 'utf8');
    const inputLine = (text: string) => text.split('\n').filter((line) => line.startsWith('- Input:'));
    expect(inputLine(card)).toHaveLength(1);
    expect(inputLine(card)[0]).toContain('raw pixel values 0–255');
    expect(inputLine(card)).toEqual(inputLine(tfjsCard));
    const labels = (await readFile(path.join(dir, 'labels.txt'), 'utf8')).trim().split('\n');
    expect(labels).toEqual(run.classes.map((name, i) => `${i} ${name}`));
  });

  it('CLI: `export --format onnx --out DIR --json` writes a verified model.onnx', async () => {
    if (!existsSync(path.join(repo, 'out', 'cli', 'entry.js')))
      throw new Error('out/ is not built: run `node scripts/build.mjs` first.');
    const out = path.join(tmp, 'cli-out');
    const { stdout } = await execute(
      process.execPath,
      ['bin/transfer-studio.js', 'export', run.runDir, '--format', 'onnx', '--out', out, '--json'],
      { cwd: repo, env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm' } },
    );
    const result = ExportRunResponse.parse(JSON.parse(stdout));
    expect(result.ok).toBe(true);
    expect(result.results[0]).toMatchObject({ format: 'onnx', ok: true, dir: path.join(out, 'onnx') });
    expect(result.results[0]!.verify!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(existsSync(path.join(out, 'onnx', 'model.onnx'))).toBe(true);
  });
});
