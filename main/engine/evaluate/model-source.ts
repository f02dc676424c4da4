/**
 * The model to predict with and everything needed to feed it: from a run folder (its final `model/`, whose
 * input is pixels already scaled by the base's scaling) or from an exported TF.js folder (model.json +
 * metadata.json, whose `transferStudio.input` says what the input holds; a Teachable Machine folder without
 * that block takes TM's `x/127 − 1`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MODEL_METADATA_FILE, ModelMetadata, type ModelInput } from '../../../shared/contract/model-metadata';
import type { Scaling } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';
import { describeIssues } from '../../../shared/contract';
import { resolvePreprocessOptions, type ResolvedPreprocessOptions } from '../data/preprocess';
import { getBaseInfo } from '../models/bases/registry';
import { applyScaling } from '../models/scale';
import { fileSystemLoader, readModelJson } from '../models/io/fs-handler';
import { finalModelDir } from '../run-folder/final-model';
import { RUN_FILE } from '../run-folder/layout';
import { readRunState } from '../run-folder/run-file';

/** A loaded classifier and how to feed it. */
export interface InferenceModel {
  model: tf.LayersModel | tf.GraphModel;
  classes: string[];
  /** How images are resized and flattened to the model's input size. */
  preprocess: ResolvedPreprocessOptions;
  /** What the input tensor holds (see ModelInput) and the base's scaling. */
  input: ModelInput;
  scaling: Scaling;
  source: 'run' | 'tfjs-export';
  /** The model folder loaded. */
  dir: string;
  /** Frees the model's weights. */
  dispose(): void;
}

/** Float pixels 0–255 `[N, S, S, 3]` → the model's input (a new tensor; `pixels` is not disposed). */
export function modelInputOf(pixels: tf.Tensor, model: Pick<InferenceModel, 'input' | 'scaling'>): tf.Tensor {
  switch (model.input) {
    case 'pixels':
      return pixels.clone();
    case 'tm':
      return tf.tidy(() => pixels.div(127).sub(1));
    case 'scaled':
      return applyScaling(pixels, model.scaling);
  }
}

async function loadTfjs(modelJson: string): Promise<tf.LayersModel | tf.GraphModel> {
  const json = await readModelJson(modelJson);
  const handler = fileSystemLoader(modelJson);
  return json.format === 'graph-model' ? tf.loadGraphModel(handler) : tf.loadLayersModel(handler);
}

async function fromRun(runDir: string): Promise<InferenceModel> {
  const state = await readRunState(runDir);
  const dir = finalModelDir(runDir, state);
  const info = await getBaseInfo(state.base);
  const model = await loadTfjs(path.join(dir, 'model.json'));
  return {
    model,
    classes: state.classes,
    preprocess: resolvePreprocessOptions({ size: info.inputSize }),
    input: 'scaled',
    scaling: info.scaling,
    source: 'run',
    dir,
    dispose: () => model.dispose(),
  };
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

async function fromExport(dir: string): Promise<InferenceModel> {
  const metadata = await readModelMetadata(dir);
  const ours = metadata.transferStudio;
  const model = await loadTfjs(path.join(dir, 'model.json'));
  return {
    model,
    classes: metadata.labels,
    preprocess: ours
      ? resolvePreprocessOptions(ours.preprocess)
      : resolvePreprocessOptions({ size: metadata.imageSize }),
    input: ours?.input ?? 'tm',
    scaling: ours?.scaling ?? 'x/127.5-1',
    source: 'tfjs-export',
    dir,
    dispose: () => model.dispose(),
  };
}

/**
 * Loads a run folder's final model (a folder with run.json) or an exported TF.js folder (model.json + metadata.json).
 * @throws StudioError NOT_FOUND when `dir` is neither (naming it); BAD_INPUT when the run has not completed or
 *   metadata.json is missing or invalid.
 */
export async function loadInferenceModel(dirInput: string): Promise<InferenceModel> {
  const dir = path.resolve(dirInput);
  if (existsSync(path.join(dir, RUN_FILE))) return fromRun(dir);
  if (existsSync(path.join(dir, 'model.json'))) return fromExport(dir);
  throw new StudioError(
    'NOT_FOUND',
    `${quote(dirInput)} is neither a run folder (no ${RUN_FILE}) nor an exported TF.js model folder (no model.json).`,
    { field: 'model', received: dirInput },
  );
}
