/**
 * Evaluate: a completed run's final model scored on its held-out test split (written to evaluation.json and
 * recorded in run.json) or on a labelled folder (returned only). Images the run trained or validated on are
 * never scored: for the test split that is asserted, for a folder such images are skipped and counted.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type {
  EvaluateRequest,
  Evaluation,
  EvaluationSource,
  InferenceProgress,
} from '../../../shared/contract/evaluate';
import { EVALUATION_FILE_VERSION } from '../../../shared/contract/evaluate';
import { StudioError } from '../../../shared/errors';
import { MODEL_FOLDER } from '../run-folder/layout';
import { readRunState, type RunState } from '../run-folder/run-file';
import { finalModelDir } from '../run-folder/final-model';
import { backendReady } from '../runtime';
import { saveEvaluation } from './evaluation-file';
import { inferFiles } from './infer';
import { labelledFolder, type LabelledFile } from './labelled-folder';
import { loadInferenceModel } from './model-source';
import { summarize } from './summarize';
import type { LabelledPrediction } from './top-losses';
import { trainedHashes } from './trained-images';

export interface EvaluateContext {
  signal: AbortSignal;
  progress: (progress: InferenceProgress) => void;
  /**
   * Hashes of the images the run trained and validated on, when the caller has them (the training run).
   * Default: derived by re-scanning the run's dataset.
   */
  trained?: Set<string>;
}

/** What to score, and what to tell the user about it. */
interface Selection {
  source: EvaluationSource;
  images: LabelledFile[];
  failed: { path: string; error: string }[];
  skippedTrained: number;
  notices: string[];
}

async function selectImages(
  request: EvaluateRequest,
  state: RunState,
  trained: Set<string> | undefined,
  signal: AbortSignal,
): Promise<Selection> {
  const notices: string[] = [];
  if (!trained) {
    notices.push(
      "The run's training images could not be re-read to check that none is scored here (its dataset folders moved or changed).",
    );
  }
  if (request.dataDir) {
    const folder = await labelledFolder(request.dataDir, state.classes, signal);
    const fresh = folder.images.filter((image) => !trained?.has(image.hash));
    const skippedTrained = folder.images.length - fresh.length;
    if (skippedTrained > 0)
      notices.push(`${skippedTrained} image(s) of this folder were left out: the run trained or validated on them.`);
    return {
      source: { kind: 'folder', dir: path.resolve(request.dataDir) },
      images: fresh,
      failed: folder.failed,
      skippedTrained,
      notices,
    };
  }
  const images = state.test?.images ?? [];
  const leaked = images.filter((image) => trained?.has(image.hash));
  if (leaked.length > 0) {
    throw new StudioError(
      'INTERNAL',
      `The test split of this run holds ${leaked.length} image(s) it trained or validated on, e.g. ${JSON.stringify(leaked[0]!.path)}; it cannot be evaluated.`,
      {
        paths: leaked.map((image) => image.path),
      },
    );
  }
  if (images.length === 0) {
    notices.push(
      'This run has no test images (its split held none out: a test fraction of 0, or classes too small), so nothing was scored. Set a test fraction in the split and train again, or evaluate a labelled folder.',
    );
  }
  return { source: { kind: 'test-split' }, images, failed: [], skippedTrained: 0, notices };
}

/** Scores `images` with the run's final model (loaded once, freed after); unreadable files go to `failed`. */
async function predictImages(
  runDir: string,
  images: readonly LabelledFile[],
  batchSize: number,
  context: EvaluateContext,
  failed: { path: string; error: string }[],
): Promise<LabelledPrediction[]> {
  const loaded = await loadInferenceModel(runDir);
  const predictions: LabelledPrediction[] = [];
  const inferStart = performance.now();
  const onProgress = (done: number) =>
    context.progress({
      phase: 'predict',
      done,
      total: images.length,
      imagesPerSecond: done / Math.max(1e-3, (performance.now() - inferStart) / 1000),
      engine: loaded.engine,
      numTensors: tf.memory().numTensors,
    });
  try {
    const paths = images.map((image) => image.path);
    for await (const result of inferFiles(loaded, paths, { batchSize, signal: context.signal, onProgress })) {
      const image = images[result.index]!;
      if ('error' in result) failed.push({ path: image.path, error: result.error });
      else predictions.push({ path: image.path, label: image.label, probabilities: result.probabilities });
    }
  } finally {
    loaded.dispose();
  }
  return predictions;
}

/**
 * Evaluates a run (see the file comment).
 * @throws StudioError NOT_FOUND / BAD_INPUT when the folder is not a completed run; BAD_INPUT naming unknown class
 *   folders of `dataDir`; CANCELLED when the signal aborts.
 */
export async function evaluateRun(request: EvaluateRequest, context: EvaluateContext): Promise<Evaluation> {
  await backendReady();
  const started = performance.now();
  const runDir = path.resolve(request.runDir);
  const report = (phase: InferenceProgress['phase'], done: number, total: number, imagesPerSecond?: number) =>
    context.progress({
      phase,
      done,
      total,
      numTensors: tf.memory().numTensors,
      ...(imagesPerSecond !== undefined ? { imagesPerSecond } : {}),
    });
  report('load', 0, 1);
  const state = await readRunState(runDir);
  finalModelDir(runDir, state);
  const trained = context.trained ?? (await trainedHashes(state, context.signal));
  const selection = await selectImages(request, state, trained, context.signal);
  const failed = [...selection.failed];
  const predictions =
    selection.images.length > 0
      ? await predictImages(runDir, selection.images, request.batchSize, context, failed)
      : [];
  report('metrics', 0, 1);
  // model/ of a calibrated run outputs softmax(z / T): the ECE of its raw probabilities is reported beside.
  const calibration = state.calibration?.status === 'applied' ? state.calibration.temperature : undefined;
  const metrics = summarize(state.classes, predictions, calibration);
  const evaluation: Evaluation = {
    version: EVALUATION_FILE_VERSION,
    writtenAt: new Date().toISOString(),
    runDir,
    model: MODEL_FOLDER,
    source: selection.source,
    ...metrics,
    notices: [
      ...selection.notices,
      ...metrics.notices,
      ...(failed.length > 0 ? [`${failed.length} image(s) could not be read and were not scored.`] : []),
    ],
    failed,
    skippedTrained: selection.skippedTrained,
    durationMs: Math.round(performance.now() - started),
  };
  if (selection.source.kind === 'test-split') {
    report('save', 0, 1);
    await saveEvaluation(runDir, evaluation);
  }
  report('save', 1, 1);
  return evaluation;
}
