/**
 * Predict, evaluate and Try on ONNX Runtime for a real run (Fashion-MNIST through the bundled MobileNetV2): the
 * whole model (base + head) converts, runs on ORT and agrees with tfjs (≤ 1e-4, top-1 equal on every test image);
 * the converted model is cached on disk by its weights hash (a second load does not convert again); evaluation
 * gives the same accuracy on either engine; an exported ONNX folder is a predict source too.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInferenceModel } from '../../../main/engine/evaluate/model-source';
import { inferFiles } from '../../../main/engine/evaluate/infer';
import { evaluateRun } from '../../../main/engine/evaluate/evaluate';
import { predict } from '../../../main/engine/evaluate/predict';
import { predictionModels } from '../../../main/engine/evaluate/model-cache';
import { runExport } from '../../../main/engine/export/run-export';
import type { InferenceProgress } from '../../../shared/contract/evaluate';
import { argmax, trainExportRun, type ExportedRun } from '../export/exported-run';

let tmp = '';
let run: ExportedRun;
const quiet = { signal: new AbortController().signal, progress: () => undefined };

async function probabilities(engine: 'auto' | 'tfjs', cacheDir: string): Promise<{ rows: number[][]; engine: string }> {
  const loaded = await loadInferenceModel(run.runDir, { engine, cacheDir });
  const rows: number[][] = [];
  try {
    for await (const result of inferFiles(
      loaded,
      run.tests.map((t) => t.path),
      { batchSize: 4 },
    )) {
      if ('error' in result) throw new Error(result.error);
      rows[result.index] = result.probabilities;
    }
  } finally {
    loaded.dispose();
  }
  return { rows, engine: loaded.engine.engine };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ort-inference-'));
  process.env.TRANSFER_STUDIO_CACHE = path.join(tmp, 'app-cache');
  run = await trainExportRun(tmp);
});

afterAll(async () => {
  await predictionModels.clear();
  delete process.env.TRANSFER_STUDIO_CACHE;
  delete process.env.TRANSFER_STUDIO_INFERENCE;
  await rm(tmp, { recursive: true, force: true });
});

describe('inference on ONNX Runtime', () => {
  it('the run’s model runs on ORT; probabilities equal tfjs’s (≤ 1e-4) and top-1 on every test image; no leaks', async () => {
    const baseline = tf.memory().numTensors;
    const cacheDir = path.join(tmp, 'c1');
    const ort = await probabilities('auto', cacheDir);
    const tfjs = await probabilities('tfjs', cacheDir);
    expect(ort.engine).toBe('onnxruntime');
    expect(tfjs.engine).toBe('tfjs');
    expect(ort.rows).toHaveLength(run.tests.length);
    let worst = 0;
    ort.rows.forEach((row, i) => {
      worst = Math.max(worst, ...row.map((p, j) => Math.abs(p - tfjs.rows[i]![j]!)));
      expect(argmax(row)).toBe(argmax(tfjs.rows[i]!));
      expect(argmax(row)).toBe(argmax(run.tests[i]!.probabilities));
    });
    console.log(`ORT vs tfjs on ${run.tests.length} test images: max |Δ| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('the converted model is cached by its weights hash: a second load reuses the file', async () => {
    const cacheDir = path.join(tmp, 'c2');
    const first = await loadInferenceModel(run.runDir, { cacheDir });
    first.dispose();
    const files = await readdir(path.join(cacheDir, 'onnx'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.onnx$/);
    const before = (await stat(path.join(cacheDir, 'onnx', files[0]!))).mtimeMs;
    const second = await loadInferenceModel(run.runDir, { cacheDir });
    expect(second.engine).toMatchObject({ engine: 'onnxruntime', provider: 'cpu' });
    second.dispose();
    expect(await readdir(path.join(cacheDir, 'onnx'))).toEqual(files);
    expect((await stat(path.join(cacheDir, 'onnx', files[0]!))).mtimeMs).toBe(before);
  });

  it('evaluate gives the same accuracy on ORT and on tfjs, and its progress names the engine', async () => {
    const engines: string[] = [];
    const progress = (p: InferenceProgress) => {
      if (p.engine) engines.push(p.engine.engine);
    };
    process.env.TRANSFER_STUDIO_INFERENCE = 'tfjs';
    const onTfjs = await evaluateRun({ runDir: run.runDir, batchSize: 8 }, { ...quiet, progress });
    delete process.env.TRANSFER_STUDIO_INFERENCE;
    const onOrt = await evaluateRun({ runDir: run.runDir, batchSize: 8 }, { ...quiet, progress });
    expect(new Set(engines)).toEqual(new Set(['tfjs', 'onnxruntime']));
    expect(onOrt.accuracy).toBe(onTfjs.accuracy);
    console.log(`evaluation accuracy: ORT ${onOrt.accuracy}, tfjs ${onTfjs.accuracy} on ${run.tests.length} images`);
  });

  it('predict and Try report the engine; an exported ONNX folder predicts what the run predicts', async () => {
    const paths = run.tests.map((t) => t.path);
    const fromRun = await predict({ model: run.runDir, paths, top: 3, batchSize: 32 }, quiet);
    expect(fromRun.engine).toMatchObject({ engine: 'onnxruntime' });
    const exported = await runExport({ runDir: run.runDir, formats: ['onnx'] });
    expect(exported.ok).toBe(true);
    const dir = exported.results[0]!.dir;
    const fromOnnx = await predict({ model: dir, paths, top: 3, batchSize: 32 }, quiet);
    expect(fromOnnx).toMatchObject({ source: 'onnx-export', classes: run.classes, engine: { engine: 'onnxruntime' } });
    fromRun.predictions.forEach((row, i) => {
      const other = fromOnnx.predictions[i]!;
      if ('error' in row || 'error' in other) throw new Error('a test image failed');
      expect(other.label).toBe(row.label);
      expect(Math.abs(other.probability - row.probability)).toBeLessThanOrEqual(1e-4);
    });
    await predictionModels.clear();
  });
});
