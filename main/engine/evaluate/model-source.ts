/**
 * The model to predict with and everything needed to feed it: from a run folder (its final `model/`, whose
 * input is pixels already scaled by the base's scaling), from an exported TF.js folder (model.json +
 * metadata.json, whose `transferStudio.input` says what the input holds; a Teachable Machine folder without
 * that block takes TM's `x/127 − 1`) or from an exported ONNX folder (model.onnx + metadata.json, ORT only).
 * The model runs on ONNX Runtime when it converts, else on tfjs (model-engine.ts).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { InferenceEngine } from '../../../shared/contract/evaluate';
import { MODEL_METADATA_FILE, ModelMetadata, type ModelInput } from '../../../shared/contract/model-metadata';
import type { Scaling } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';
import { describeIssues } from '../../../shared/contract';
import { resolvePreprocessOptions, type ResolvedPreprocessOptions } from '../data/preprocess';
import { getBaseInfo } from '../models/bases/registry';
import { fileSystemLoader, readModelJson } from '../models/io/fs-handler';
import { finalModelDir } from '../run-folder/final-model';
import { RUN_FILE } from '../run-folder/layout';
import { readRunState } from '../run-folder/run-file';
import { createRunner, ortRunner, type RunnerOptions } from './model-engine';

export { modelInputOf } from './model-engine';

/** The ONNX export's model file (export/onnx-format.ts). */
const ONNX_FILE = 'model.onnx';

/** A loaded classifier and how to feed it. */
export interface InferenceModel {
  /** The tfjs model; undefined for an ONNX folder. */
  model?: tf.LayersModel | tf.GraphModel;
  classes: string[];
  /** How images are resized and flattened to the model's input size. */
  preprocess: ResolvedPreprocessOptions;
  /** What the input tensor holds (see ModelInput) and the base's scaling. */
  input: ModelInput;
  scaling: Scaling;
  source: 'run' | 'tfjs-export' | 'onnx-export';
  /** The model folder loaded. */
  dir: string;
  /** The engine running the model (ONNX Runtime or tfjs) and why. */
  engine: InferenceEngine;
  /** Class probabilities of `n` images given as NHWC RGB bytes of `preprocess.size`, one row per image. */
  predict(pixels: Uint8Array, n: number): Promise<number[][]>;
  /** Frees the model's weights and ends its ORT worker. */
  dispose(): void;
}

async function loadTfjs(modelJson: string): Promise<tf.LayersModel | tf.GraphModel> {
  const json = await readModelJson(modelJson);
  const handler = fileSystemLoader(modelJson);
  return json.format === 'graph-model' ? tf.loadGraphModel(handler) : tf.loadLayersModel(handler);
}

type Fed = Pick<InferenceModel, 'classes' | 'preprocess' | 'input' | 'scaling' | 'source' | 'dir'>;

/** The tfjs model with its runner (ORT when it converts). */
async function withRunner(
  model: tf.LayersModel | tf.GraphModel,
  fed: Fed,
  options: RunnerOptions,
): Promise<InferenceModel> {
  let runner;
  try {
    runner = await createRunner(model, { input: fed.input, scaling: fed.scaling, size: fed.preprocess.size }, options);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    ...fed,
    model,
    engine: runner.engine,
    predict: (pixels, n) => runner.predict(pixels, n),
    dispose: () => {
      model.dispose();
      void runner.dispose();
    },
  };
}

async function fromRun(runDir: string, options: RunnerOptions): Promise<InferenceModel> {
  const state = await readRunState(runDir);
  const dir = finalModelDir(runDir, state);
  const info = await getBaseInfo(state.base);
  const model = await loadTfjs(path.join(dir, 'model.json'));
  const fed: Fed = {
    classes: state.classes,
    preprocess: resolvePreprocessOptions({ size: info.inputSize }),
    input: 'scaled',
    scaling: info.scaling,
    source: 'run',
    dir,
  };
  return withRunner(model, fed, options);
}

/** Reads and checks metadata.json of an exported folder. */
export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  const file = path.join(dir, MODEL_METADATA_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist (it holds the class labels)' : (error as Error).message;
    throw new StudioError('BAD_INPUT', `Cannot read ${quote(file)}: ${why}.`, { file });
  }
  const parsed = ModelMetadata.safeParse(raw);
  if (!parsed.success) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)} is not a valid model metadata file: ${describeIssues(parsed.error)}.`,
      { file },
    );
  }
  return parsed.data;
}

function fedOf(dir: string, metadata: ModelMetadata, source: InferenceModel['source']): Fed {
  const ours = metadata.transferStudio;
  return {
    classes: metadata.labels,
    preprocess: ours
      ? resolvePreprocessOptions(ours.preprocess)
      : resolvePreprocessOptions({ size: metadata.imageSize }),
    input: ours?.input ?? 'tm',
    scaling: ours?.scaling ?? 'x/127.5-1',
    source,
    dir,
  };
}

async function fromExport(dir: string, options: RunnerOptions): Promise<InferenceModel> {
  const metadata = await readModelMetadata(dir);
  const model = await loadTfjs(path.join(dir, 'model.json'));
  return withRunner(model, fedOf(dir, metadata, 'tfjs-export'), options);
}

/** An ONNX export folder: ORT only (there is no tfjs model to fall back on). */
async function fromOnnxExport(dir: string, options: RunnerOptions): Promise<InferenceModel> {
  const fed = fedOf(dir, await readModelMetadata(dir), 'onnx-export');
  if (options.engine === 'tfjs') {
    throw new StudioError('UNSUPPORTED', `${quote(dir)} holds an ONNX model: it runs on ONNX Runtime only, not tfjs.`, {
      field: 'model',
      received: dir,
    });
  }
  const bytes = new Uint8Array(await readFile(path.join(dir, ONNX_FILE)));
  const runner = await ortRunner(
    bytes,
    { input: fed.input, scaling: fed.scaling, size: fed.preprocess.size },
    options.threads,
  );
  return {
    ...fed,
    engine: runner.engine,
    predict: (pixels, n) => runner.predict(pixels, n),
    dispose: () => void runner.dispose(),
  };
}

/**
 * Loads a run folder's final model (a folder with run.json), an exported TF.js folder (model.json +
 * metadata.json) or an exported ONNX folder (model.onnx + metadata.json), with the engine that runs it.
 * @param options engine choice, cache of converted models, ORT threads. Default: see {@link RunnerOptions}.
 * @throws StudioError NOT_FOUND when `dir` is none of them (naming it); BAD_INPUT when the run has not completed
 *   or metadata.json is missing or invalid.
 */
export async function loadInferenceModel(dirInput: string, options: RunnerOptions = {}): Promise<InferenceModel> {
  const dir = path.resolve(dirInput);
  if (existsSync(path.join(dir, RUN_FILE))) return fromRun(dir, options);
  if (existsSync(path.join(dir, 'model.json'))) return fromExport(dir, options);
  if (existsSync(path.join(dir, ONNX_FILE))) return fromOnnxExport(dir, options);
  throw new StudioError(
    'NOT_FOUND',
    `${quote(dirInput)} is neither a run folder (no ${RUN_FILE}) nor an exported TF.js model folder (no model.json) or ONNX model folder (no ${ONNX_FILE}).`,
    { field: 'model', received: dirInput },
  );
}
