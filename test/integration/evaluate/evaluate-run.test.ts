/**
 * A real run on 3 Fashion-MNIST classes (bundled MobileNetV2, wasm, 3 epochs) with a held-out test split:
 * the run ends by writing evaluation.json; its accuracy equals `predict` over the same test images; no
 * training or validation image is in the test split; predict from the run folder and from the same model
 * reloaded as an exported TF.js folder agree to 1e-5; a labelled folder is evaluated (trained images
 * skipped, unknown classes named); a non-image file gets an error row; no tensor is leaked.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { trainRun } from '../../../main/engine/training/run';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { loadDataset, runSplitOf } from '../../../main/engine/training/dataset';
import { backendReady } from '../../../main/engine/runtime';
import { getBaseInfo } from '../../../main/engine/models/bases/registry';
import { evaluateRun } from '../../../main/engine/evaluate/evaluate';
import { readEvaluation } from '../../../main/engine/evaluate/evaluation-file';
import { predict } from '../../../main/engine/evaluate/predict';
import { predictionModels } from '../../../main/engine/evaluate/model-cache';
import { readRunSummary } from '../../../main/engine/evaluate/run-summary';
import { Evaluation, type PredictionRow } from '../../../shared/contract/evaluate';
import { type ModelMetadata } from '../../../shared/contract/model-metadata';
import type { TrainProgress, TrainResponse } from '../../../shared/contract/training';

const quiet = { signal: new AbortController().signal, progress: () => undefined };
const CLASSES = ['Bag', 'Sneaker', 'Trouser'];

function predicted(row: PredictionRow): {
  label: string;
  probability: number;
  top: { label: string; probability: number }[];
} {
  if ('error' in row) throw new Error(`expected a prediction for ${row.path}, received the error ${row.error}`);
  return row;
}

describe('evaluate and predict a real run (MobileNetV2, wasm)', () => {
  let tmp = '';
  let data = '';
  let run: TrainResponse;
  let evaluation: Evaluation;
  let baseline = -1;
  const trainProgress: TrainProgress[] = [];

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    expect((await backendReady()).name).toBe('wasm');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'evaluate-run-'));
    data = await fashionMnistFolders({ perClass: 20, classes: CLASSES, offset: 500 });
    run = await trainRun(
      {
        dirs: [data],
        runDir: path.join(tmp, 'run'),
        cacheDir: path.join(tmp, 'cache'),
        split: { train: 0.6, validation: 0.2, test: 0.2, seed: 5 },
        config: { epochs: 3, seed: 5, batchSize: 8 },
      } as never,
      { ...quiet, progress: (p) => trainProgress.push(p) },
    );
    evaluation = (await readEvaluation(run.runDir))!;
    baseline = tf.memory().numTensors;
  }, 600_000);

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('the run ends with evaluation.json on its test split, recorded in run.json', async () => {
    expect(run.warnings ?? []).toEqual([]);
    expect(run.testImages).toBeGreaterThan(0);
    expect(evaluation).not.toBeNull();
    expect(Evaluation.safeParse(evaluation).success).toBe(true);
    // The training job reports the scoring as its own phase, ending with every test image, before saving ends.
    const scoring = trainProgress.filter((p) => p.phase === 'evaluate');
    expect(scoring.at(-1)).toMatchObject({ done: run.testImages, total: run.testImages });
    expect(trainProgress.at(-1)).toMatchObject({ phase: 'save', done: 1, total: 1 });
    expect(evaluation.source).toEqual({ kind: 'test-split' });
    expect(evaluation.count).toBe(run.testImages);
    expect(evaluation.classes).toEqual(CLASSES);
    const state = await readRunState(run.runDir);
    expect(state.evaluation).toMatchObject({ model: 'model', images: run.testImages, accuracy: evaluation.accuracy });
    console.log(
      `evaluation: ${evaluation.count} test images, accuracy ${evaluation.accuracy?.toFixed(4)} [${evaluation.accuracyInterval?.low.toFixed(3)}, ${evaluation.accuracyInterval?.high.toFixed(3)}], ` +
        `macro F1 ${evaluation.macro.f1?.toFixed(4)}, ECE ${evaluation.calibration.ece?.toFixed(4)}, ${evaluation.durationMs} ms (run val acc ${run.valAccuracy.toFixed(4)})`,
    );
  });

  it('no training or validation image is in the test split, and only test images are scored', async () => {
    const state = await readRunState(run.runDir);
    const split = await loadDataset(
      state.request.dataset!,
      runSplitOf(state.request.split, state.request.config),
      undefined,
      quiet.signal,
    );
    const trained = new Set([...split.train, ...split.validation].map((image) => image.hash));
    const test = state.test!.images;
    expect(test.length).toBe(run.testImages);
    expect(test.filter((image) => trained.has(image.hash))).toEqual([]);
    expect(new Set(evaluation.images.map((image) => image.path))).toEqual(new Set(test.map((image) => image.path)));
  });

  it("evaluation.json's accuracy equals predict over the same test images", async () => {
    const state = await readRunState(run.runDir);
    const test = state.test!.images;
    const result = await predict(
      { model: run.runDir, paths: test.map((image) => image.path), top: 3, batchSize: 5 },
      quiet,
    );
    expect(result.source).toBe('run');
    const right = result.predictions.filter((row, i) => predicted(row).label === CLASSES[test[i]!.label]).length;
    expect(right / test.length).toBe(evaluation.accuracy);
    const byPath = new Map(evaluation.images.map((image) => [image.path, image]));
    result.predictions.forEach((row) => {
      const scored = byPath.get(row.path)!;
      expect(predicted(row).probability).toBeCloseTo(Math.max(...scored.probabilities), 5);
    });
    console.log(
      `predict: ${result.predictions.length} images at ${result.imagesPerSecond.toFixed(1)} img/s (batch 5, wasm)`,
    );
    await predictionModels.clear(); // predict keeps the last model loaded for the next call
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('predict on the run folder and on the same model reloaded from an exported TF.js folder agree (≤ 1e-5)', async () => {
    const exported = path.join(tmp, 'exported');
    await mkdir(exported);
    for (const file of await readdir(path.join(run.runDir, 'model')))
      await copyFile(path.join(run.runDir, 'model', file), path.join(exported, file));
    const info = await getBaseInfo(run.base);
    const metadata: ModelMetadata = {
      tfjsVersion: tf.version.tfjs,
      tmVersion: '2.4.10',
      packageName: 'transfer-studio',
      packageVersion: '0.0.0',
      modelName: 'test',
      timeStamp: new Date().toISOString(),
      labels: CLASSES,
      imageSize: info.inputSize,
      transferStudio: {
        version: 1,
        input: 'scaled',
        scaling: info.scaling,
        preprocess: { size: info.inputSize, resize: 'cover', background: '#ffffff' },
        base: run.base,
        appVersion: '0.0.0',
      },
    };
    await writeFile(path.join(exported, 'metadata.json'), JSON.stringify(metadata));
    const paths = [path.join(data, 'Bag'), path.join(data, 'Trouser')];
    const fromRun = await predict({ model: run.runDir, paths, top: 3, batchSize: 16 }, quiet);
    const fromExport = await predict({ model: exported, paths, top: 3, batchSize: 7 }, quiet);
    expect(fromExport.source).toBe('tfjs-export');
    expect(fromRun.predictions).toHaveLength(40);
    fromRun.predictions.forEach((row, i) => {
      const other = predicted(fromExport.predictions[i]!);
      expect(fromExport.predictions[i]!.path).toBe(row.path);
      expect(other.top.map((t) => t.label)).toEqual(predicted(row).top.map((t) => t.label));
      predicted(row).top.forEach((t, k) =>
        expect(Math.abs(t.probability - other.top[k]!.probability)).toBeLessThanOrEqual(1e-5),
      );
    });
    await predictionModels.clear(); // predict keeps the last model loaded for the next call
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('Try: one image after another — the model is loaded once, then each image is predicted quickly', async () => {
    await predictionModels.clear();
    const files = (await readdir(path.join(data, 'Bag'))).slice(0, 4).map((name) => path.join(data, 'Bag', name));
    const times: number[] = [];
    for (const file of files) {
      const started = performance.now();
      const result = await predict({ model: run.runDir, paths: [file], top: 3, batchSize: 32 }, quiet);
      times.push(performance.now() - started);
      expect(predicted(result.predictions[0]!).top).toHaveLength(3);
    }
    const cached = times.slice(1);
    console.log(
      `Try: first image ${times[0]!.toFixed(0)} ms (loads the model), then ${cached.map((t) => t.toFixed(0)).join(', ')} ms`,
    );
    expect(Math.max(...cached)).toBeLessThan(times[0]!);
    await predictionModels.clear();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('a file that is not an image, or missing, gets a row with its error; the others are predicted', async () => {
    const notImage = path.join(tmp, 'notes.txt');
    await writeFile(notImage, 'not an image');
    const image = path.join(data, 'Sneaker', (await readdir(path.join(data, 'Sneaker')))[0]!);
    const result = await predict(
      { model: run.runDir, paths: [notImage, image, path.join(tmp, 'missing.png')], top: 2, batchSize: 32 },
      quiet,
    );
    expect(result.predictions).toHaveLength(3);
    expect(result.predictions[0]).toMatchObject({ path: notImage, error: expect.stringContaining('notes.txt') });
    expect(predicted(result.predictions[1]!).top).toHaveLength(2);
    expect(result.predictions[2]).toMatchObject({ error: expect.stringContaining('missing.png') });
    await predictionModels.clear(); // predict keeps the last model loaded for the next call
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('a labelled folder: images the run trained on are skipped and counted; evaluation.json is left as it was', async () => {
    const state = await readRunState(run.runDir);
    const folder = path.join(tmp, 'labelled');
    const test = state.test!.images;
    for (const image of test) {
      const to = path.join(folder, CLASSES[image.label]!, path.basename(image.path));
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(image.path, to);
    }
    // One training image copied in: it must not be scored.
    const split = await loadDataset(
      state.request.dataset!,
      runSplitOf(state.request.split, state.request.config),
      undefined,
      quiet.signal,
    );
    const trainedImage = split.train[0]!;
    await copyFile(trainedImage.path, path.join(folder, CLASSES[trainedImage.label]!, 'trained-copy.png'));
    const result = await evaluateRun({ runDir: run.runDir, dataDir: folder, batchSize: 32 }, quiet);
    expect(result.source).toEqual({ kind: 'folder', dir: folder });
    expect(result.skippedTrained).toBe(1);
    expect(result.count).toBe(test.length);
    expect(result.accuracy).toBe(evaluation.accuracy);
    expect(result.notices.join(' ')).toMatch(/1 image\(s\) of this folder were left out/);
    expect((await readEvaluation(run.runDir))!.writtenAt).toBe(evaluation.writtenAt);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('a labelled folder with a class the run does not know fails, naming it', async () => {
    const folder = path.join(tmp, 'unknown');
    await mkdir(path.join(folder, 'Bag'), { recursive: true });
    await mkdir(path.join(folder, 'Sandal'), { recursive: true });
    const bag = path.join(data, 'Bag', (await readdir(path.join(data, 'Bag')))[0]!);
    await copyFile(bag, path.join(folder, 'Bag', 'a.png'));
    await copyFile(bag, path.join(folder, 'Sandal', 'b.png'));
    await expect(evaluateRun({ runDir: run.runDir, dataDir: folder, batchSize: 32 }, quiet)).rejects.toThrow(
      /"Sandal".*run's classes are "Bag", "Sneaker", "Trouser"/,
    );
  });

  it('runs.read gives the run as plain data, with the evaluation headline', async () => {
    const summary = await readRunSummary(run.runDir);
    expect(summary).toMatchObject({
      status: 'completed',
      hasModel: true,
      classes: CLASSES,
      testCount: run.testImages,
      id: 'run',
    });
    expect(summary.history).toHaveLength(run.history.length);
    expect(summary.head).toMatch(/^dense:128:relu/);
    expect(summary.evaluation).toMatchObject({
      images: run.testImages,
      accuracy: evaluation.accuracy,
      macroF1: evaluation.macro.f1,
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('evaluating again rewrites evaluation.json with the same figures; a run with no test split records that', async () => {
    const again = await evaluateRun({ runDir: run.runDir, batchSize: 32 }, quiet);
    expect(again.accuracy).toBe(evaluation.accuracy);
    expect(again.images.map((i) => i.probabilities)).toEqual(evaluation.images.map((i) => i.probabilities));
    const noTest = await trainRun(
      {
        dirs: [data],
        runDir: path.join(tmp, 'no-test'),
        cacheDir: path.join(tmp, 'cache'),
        config: { epochs: 1, seed: 5 },
      } as never,
      quiet,
    );
    const empty = (await readEvaluation(noTest.runDir))!;
    expect(empty).toMatchObject({ count: 0, accuracy: null, accuracyInterval: null });
    expect(empty.notices[0]).toMatch(/no test images/);
    expect((await readRunState(noTest.runDir)).evaluation).toMatchObject({ images: 0 });
    expect(existsSync(path.join(noTest.runDir, 'evaluation.json'))).toBe(true);
    expect(tf.memory().numTensors).toBe(baseline);
  }, 300_000);
});
