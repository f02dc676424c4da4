/**
 * Predict: top-k classes of image files and folders with a run's model or an exported TF.js model.
 * Folders are walked (recursively, sorted, hidden files skipped); every file becomes one row, and a file
 * that is missing or not an image becomes a row with its error, never a failed job.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type {
  InferenceProgress,
  PredictImagesRequest,
  PredictRequest,
  PredictResponse,
  PredictionRow,
} from '../../../shared/contract/evaluate';
import { walkFiles, errorText } from '../data/walk';
import { backendReady } from '../runtime';
import { preprocessResolved } from '../data/preprocess';
import { inferFiles, predictPixels } from './infer';
import { predictionModels } from './model-cache';
import type { InferenceModel } from './model-source';

export interface PredictContext {
  signal: AbortSignal;
  progress: (progress: InferenceProgress) => void;
}

/** A file to predict, or a path that already failed (missing, unreadable folder). */
type Entry = { path: string } | { path: string; error: string };

/** The files of `inputs` in order: a file as given, a folder's files walked and sorted by path. */
export async function expandPaths(inputs: readonly string[], signal?: AbortSignal): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(input);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(absolute)).isDirectory();
    } catch (error) {
      entries.push({ path: absolute, error: `Cannot read ${JSON.stringify(absolute)}: ${errorText(error)}.` });
      continue;
    }
    if (!isDirectory) {
      entries.push({ path: absolute });
      continue;
    }
    const found: Entry[] = [];
    for await (const file of walkFiles(absolute, {
      ...(signal ? { signal } : {}),
      onIssue: (issue) => found.push({ path: issue.path, error: issue.message }),
    })) {
      found.push({ path: file.path });
    }
    found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    entries.push(...found);
  }
  return entries;
}

/** The `top` most probable classes, most probable first (ties: class order). */
export function topK(
  probabilities: readonly number[],
  classes: readonly string[],
  top: number,
): { label: string; probability: number }[] {
  return probabilities
    .map((probability, i) => ({ label: classes[i] ?? `class ${i}`, probability, i }))
    .sort((a, b) => b.probability - a.probability || a.i - b.i)
    .slice(0, Math.max(1, top))
    .map(({ label, probability }) => ({ label, probability }));
}

/** Rows for `entries` with an already loaded model (the job's and the tests' shared core). */
export async function predictWith(
  loaded: InferenceModel,
  entries: readonly Entry[],
  options: { top: number; batchSize: number; signal?: AbortSignal; onProgress?: (done: number) => void },
): Promise<PredictionRow[]> {
  const rows: PredictionRow[] = entries.map((entry) => ({
    path: entry.path,
    error: 'error' in entry ? entry.error : 'not predicted',
  }));
  const files = entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => !('error' in entry));
  for await (const result of inferFiles(
    loaded,
    files.map(({ entry }) => entry.path),
    {
      batchSize: options.batchSize,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  )) {
    const at = files[result.index]!.index;
    const filePath = rows[at]!.path;
    if ('error' in result) {
      rows[at] = { path: filePath, error: result.error };
    } else {
      const top = topK(result.probabilities, loaded.classes, options.top);
      rows[at] = { path: filePath, label: top[0]!.label, probability: top[0]!.probability, top };
    }
  }
  return rows;
}

/** The `prediction.predict` job: predict every file with the model (kept loaded for the next call, see model-cache.ts). */
export async function predict(request: PredictRequest, context: PredictContext): Promise<PredictResponse> {
  await backendReady();
  const started = performance.now();
  const report = (phase: InferenceProgress['phase'], done: number, total: number, imagesPerSecond?: number) =>
    context.progress({
      phase,
      done,
      total,
      numTensors: tf.memory().numTensors,
      ...(imagesPerSecond !== undefined ? { imagesPerSecond } : {}),
    });
  report('load', 0, 1);
  const entries = await expandPaths(request.paths, context.signal);
  return predictionModels.use(request.model, async (loaded) => {
    const inferStart = performance.now();
    const total = entries.length;
    const predictions = await predictWith(loaded, entries, {
      top: request.top,
      batchSize: request.batchSize,
      signal: context.signal,
      onProgress: (done) =>
        report('predict', done, total, done / Math.max(1e-3, (performance.now() - inferStart) / 1000)),
    });
    const seconds = (performance.now() - inferStart) / 1000;
    const predicted = predictions.filter((row) => !('error' in row)).length;
    return {
      source: loaded.source,
      engine: loaded.engine,
      classes: loaded.classes,
      predictions,
      durationMs: Math.round(performance.now() - started),
      imagesPerSecond: seconds > 0 ? predicted / seconds : 0,
    };
  });
}

/** `prediction.predictImages`: images sent as base64 (pasted, or dropped in a browser tab), one forward pass each. */
export async function predictImages(request: PredictImagesRequest): Promise<PredictResponse> {
  await backendReady();
  const started = performance.now();
  return predictionModels.use(request.model, async (loaded) => {
    const predictions: PredictionRow[] = [];
    for (const image of request.images) {
      try {
        const pixels = await preprocessResolved(Buffer.from(image.base64, 'base64'), loaded.preprocess);
        const top = topK((await predictPixels(loaded, pixels.data, 1))[0]!, loaded.classes, request.top);
        predictions.push({ path: image.name, label: top[0]!.label, probability: top[0]!.probability, top });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        predictions.push({ path: image.name, error: `${JSON.stringify(image.name)}: ${reason}` });
      }
    }
    const durationMs = performance.now() - started;
    return {
      source: loaded.source,
      engine: loaded.engine,
      classes: loaded.classes,
      predictions,
      durationMs: Math.round(durationMs),
      imagesPerSecond: request.images.length / Math.max(1e-3, durationMs / 1000),
    };
  });
}
