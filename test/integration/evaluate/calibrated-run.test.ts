/**
 * Temperature scaling in a real run (4 look-alike Fashion-MNIST classes through the bundled MobileNetV2, wasm, a
 * head trained 30 epochs without early stopping, so over-confident): T is fitted on the validation split and recorded in run.json (NLL and ECE after ≤ before); model/ is the raw
 * model (base + head/) with T applied to its logits; evaluation.json reports T and the ECE before → after; predict
 * from the run folder and from the exported TF.js and ONNX models give the same calibrated probabilities (≤ 1e-4),
 * and their metadata.json and model card say so; `calibrate: false` keeps raw outputs, and calibration never
 * changes the training history; no tensor leaks.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { trainRun } from '../../../main/engine/training/run';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { backendReady } from '../../../main/engine/runtime';
import { readEvaluation } from '../../../main/engine/evaluate/evaluation-file';
import { predict } from '../../../main/engine/evaluate/predict';
import { predictionModels } from '../../../main/engine/evaluate/model-cache';
import { temper } from '../../../main/engine/evaluate/temperature';
import { unbakeTemperature } from '../../../main/engine/evaluate/temperature-bake';
import { fileSystemLoader } from '../../../main/engine/models/io/fs-handler';
import { runExport } from '../../../main/engine/export/run-export';
import { preprocessResolved, resolvePreprocessOptions } from '../../../main/engine/data/preprocess';
import { getBaseInfo } from '../../../main/engine/models/bases/registry';
import { scalePixels } from '../../../main/engine/models/scale';
import { ModelMetadata } from '../../../shared/contract/model-metadata';
import type { PredictionRow } from '../../../shared/contract/evaluate';
import type { CalibrationRecord } from '../../../shared/contract/run-file';
import type { TrainResponse } from '../../../shared/contract/training';

const quiet = { signal: new AbortController().signal, progress: () => undefined };
const CLASSES = ['Coat', 'Pullover', 'Shirt', 'T-shirt_top'];

function probabilitiesOf(row: PredictionRow, classes: readonly string[]): number[] {
  if ('error' in row) throw new Error(`expected a prediction for ${row.path}, received the error ${row.error}`);
  return classes.map((name) => row.top.find((t) => t.label === name)!.probability);
}

function applied(record: CalibrationRecord | undefined): Extract<CalibrationRecord, { status: 'applied' }> {
  if (record?.status !== 'applied')
    throw new Error(`expected an applied calibration, received ${JSON.stringify(record)}`);
  return record;
}

describe('calibrated probabilities in a real run (MobileNetV2, wasm)', () => {
  let tmp = '';
  let run: TrainResponse;
  let raw: TrainResponse;
  let baseline = 0;
  const request = (dir: string, calibrate: boolean, data: string) =>
    ({
      dirs: [data],
      runDir: path.join(tmp, dir),
      cacheDir: path.join(tmp, 'cache'),
      split: { train: 0.5, validation: 0.3, test: 0.2, seed: 3 },
      // Over-trained on purpose (no early stopping): an over-confident head, what temperature scaling is for.
      config: {
        epochs: 100,
        seed: 3,
        batchSize: 16,
        earlyStopping: { patience: 0, restoreBestWeights: false },
        calibrate,
      },
    }) as never;

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    expect((await backendReady()).name).toBe('wasm');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'calibrated-run-'));
    const data = await fashionMnistFolders({ perClass: 50, classes: CLASSES, offset: 700 });
    run = await trainRun(request('run', true, data), quiet);
    raw = await trainRun(request('raw', false, data), quiet); // features cached: quick
    baseline = tf.memory().numTensors;
  }, 600_000);

  afterAll(async () => {
    await predictionModels.clear();
    await rm(tmp, { recursive: true, force: true });
  });

  it('run.json records T fitted on the validation split: T > 1 for the over-confident head, NLL and ECE after ≤ before', async () => {
    const state = await readRunState(run.runDir);
    const calibration = applied(state.calibration);
    expect(calibration).toMatchObject({ method: 'temperature', layer: 'predictions', images: run.valImages });
    expect(calibration.temperature).toBeGreaterThan(1);
    expect(calibration).not.toHaveProperty('note'); // no best-weights selection: T was free to go below 1 too
    expect(calibration.temperature).toBeLessThanOrEqual(20);
    expect(calibration.nllAfter).toBeLessThanOrEqual(calibration.nllBefore);
    expect(calibration.eceAfter).toBeLessThanOrEqual(calibration.eceBefore);
    console.log(`validation (${calibration.images} images): ${JSON.stringify(calibration)}`);
  });

  it('calibration never changes the training: the histories of the calibrated and raw runs are identical', () => {
    expect(run.history).toEqual(raw.history);
    expect(run.bestEpoch).toBe(raw.bestEpoch);
  });

  it('model/ is the raw model (base + head/) with T applied to its logits (≤ 1e-5); multiplying by T undoes it', async () => {
    const { temperature } = applied((await readRunState(run.runDir)).calibration);
    const state = await readRunState(run.runDir);
    const info = await getBaseInfo(state.base);
    const options = resolvePreprocessOptions({ size: info.inputSize });
    const pixels = await Promise.all(
      state.test!.images.slice(0, 6).map((image) => preprocessResolved(image.path, options)),
    );
    const model = await tf.loadLayersModel(fileSystemLoader(path.join(run.runDir, 'model', 'model.json')));
    const head = await tf.loadLayersModel(fileSystemLoader(path.join(run.runDir, 'head', 'model.json')));
    const firstHead = head.layers.find((layer) => layer.getClassName() !== 'InputLayer')!;
    const features = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer(firstHead.name).input as tf.SymbolicTensor,
    });
    const bytes = new Uint8Array(pixels.length * pixels[0]!.data.length);
    pixels.forEach((p, i) => bytes.set(p.data, i * p.data.length));
    const [calibrated, rawRows, undone] = tf.tidy(() => {
      const x = scalePixels(bytes, info);
      const c = (model.predict(x) as tf.Tensor).arraySync() as number[][];
      const r = (head.predict(features.predict(x) as tf.Tensor) as tf.Tensor).arraySync() as number[][];
      unbakeTemperature(model, temperature);
      return [c, r, (model.predict(x) as tf.Tensor).arraySync() as number[][]];
    });
    let worst = 0;
    rawRows.forEach((row, r) => {
      temper(row, temperature).forEach((p, i) => (worst = Math.max(worst, Math.abs(p - calibrated[r]![i]!))));
      row.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - undone[r]![i]!))));
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
    model.dispose();
    head.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('evaluation.json gives T and the test ECE before → after; the bins are the calibrated model', async () => {
    const evaluation = (await readEvaluation(run.runDir))!;
    const { temperature } = applied((await readRunState(run.runDir)).calibration);
    expect(evaluation.calibration.temperature).toBe(temperature);
    expect(evaluation.calibration.eceBefore).toEqual(expect.any(Number));
    expect(evaluation.calibration.ece).toEqual(expect.any(Number));
    const rawEvaluation = (await readEvaluation(raw.runDir))!;
    expect(rawEvaluation.calibration).not.toHaveProperty('temperature');
    // The raw run's model is the calibrated run's before T: same ECE on the same test images.
    expect(evaluation.calibration.eceBefore!).toBeCloseTo(rawEvaluation.calibration.ece!, 4);
    expect(evaluation.accuracy).toBe(rawEvaluation.accuracy);
    console.log(
      `test (${evaluation.count} images, accuracy ${evaluation.accuracy}): T = ${temperature.toFixed(3)}, ECE ${evaluation.calibration.eceBefore!.toFixed(4)} → ${evaluation.calibration.ece!.toFixed(4)}`,
    );
  });

  it('predict from the run folder and from the exported TF.js and ONNX models agree (≤ 1e-4); the exports say T', async () => {
    const { temperature } = applied((await readRunState(run.runDir)).calibration);
    const exported = await runExport({ runDir: run.runDir, formats: ['tfjs', 'onnx'] });
    expect(exported.ok).toBe(true);
    const paths = (await readRunState(run.runDir)).test!.images.map((image) => image.path);
    const fromRun = await predict({ model: run.runDir, paths, top: 4, batchSize: 16 }, quiet);
    const rawRun = await predict({ model: raw.runDir, paths, top: 4, batchSize: 16 }, quiet);
    for (const format of ['tfjs', 'onnx']) {
      const dir = path.join(run.runDir, 'exports', format);
      const metadata = ModelMetadata.parse(JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8')));
      expect(metadata.transferStudio?.calibration).toEqual({
        method: 'temperature',
        temperature,
        layer: 'predictions',
      });
      expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toContain(
        `- Probabilities: calibrated by temperature scaling, T = ${temperature.toFixed(3)}`,
      );
      const fromExport = await predict({ model: dir, paths, top: 4, batchSize: 16 }, quiet);
      let worst = 0;
      fromRun.predictions.forEach((row, r) => {
        const theirs = probabilitiesOf(fromExport.predictions[r]!, CLASSES);
        probabilitiesOf(row, CLASSES).forEach((p, i) => (worst = Math.max(worst, Math.abs(p - theirs[i]!))));
      });
      expect(worst, format).toBeLessThanOrEqual(1e-4);
    }
    // …and they are the raw run's probabilities at temperature T.
    let worst = 0;
    fromRun.predictions.forEach((row, r) => {
      const hot = temper(probabilitiesOf(rawRun.predictions[r]!, CLASSES), temperature);
      probabilitiesOf(row, CLASSES).forEach((p, i) => (worst = Math.max(worst, Math.abs(p - hot[i]!))));
    });
    expect(worst).toBeLessThanOrEqual(1e-4);
    await predictionModels.clear();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('calibrate: false records "off", and the raw run exports say nothing of a temperature', async () => {
    const state = await readRunState(raw.runDir);
    expect(state.calibration).toEqual({ status: 'off', reason: expect.stringContaining('--no-calibrate') });
    const exported = await runExport({ runDir: raw.runDir, formats: ['tfjs'] });
    expect(exported.ok).toBe(true);
    const metadata = ModelMetadata.parse(
      JSON.parse(await readFile(path.join(raw.runDir, 'exports', 'tfjs', 'metadata.json'), 'utf8')),
    );
    expect(metadata.transferStudio).not.toHaveProperty('calibration');
    expect(await readFile(path.join(raw.runDir, 'exports', 'tfjs', 'README.md'), 'utf8')).toContain(
      '- Probabilities: not calibrated (calibrate is off',
    );
  });
});
