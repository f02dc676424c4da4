/**
 * The steps of a run that `execute()` (run.ts) sequences — extract the features, the head phase
 * (or the head an earlier session finished), the fine-tune phase — each phase through
 * {@link runCheckpointedPhase}, so checkpoints and resume are the same for both.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig, TrainProgress } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import type { CacheStore } from '../data/cache';
import type { ResolvedPreprocessOptions } from '../data/preprocess';
import type { LoadedBase } from '../models/bases/registry';
import { restoreCheckpoint, saveModel } from './checkpoint';
import { runCheckpointedPhase, type RunPhaseContext } from './checkpointed-phase';
import type { LoadedDataset } from './dataset';
import type { ExtractorChoice } from '../onnx/extractor';
import { extractFeatureSet, type LabelledImage } from './extract';
import type { FeatureCache } from './features-cache';
import { fineTunePhase, prepareFineTune } from './fine-tune-phase';
import { PrefixActivations } from './prefix-activations';
import { buildSeededHead } from './head';
import { headPhase, type FeatureSet } from './head-phase';
import type { ClassWeights } from './phase';
import { bestWeightsFor } from './phase-runner';
import { writeRunState } from '../run-folder/run-file';
import { headDir } from '../run-folder/layout';
import { budgetCallbacks, fineTuneSkippedForBudget } from './run-budget';
import { AUTO_TABLE } from '../../../shared/auto/auto-table';
import { recordRunSpeed, stopwatch } from './run-speeds';

/** What the steps of one run session share. */
export interface RunSession extends RunPhaseContext {
  config: TrainConfig;
  signal: AbortSignal;
  base: LoadedBase;
  data: LoadedDataset;
  pixelCache: CacheStore;
  /** Root of the run's caches (features, activations, converted models). */
  cacheRoot: string;
  preprocess: ResolvedPreprocessOptions;
  /** Computed once from the training labels (config.classWeightsOfLabels); both phases weigh their loss with them. */
  classWeights: ClassWeights | undefined;
  /** Every model the run makes, freed once when it ends. */
  models: tf.LayersModel[];
}

/** Phase 1's features: training rows (each image and its augmented variants), then validation rows; cached on disk. */
export async function extractRunFeatures(
  session: RunSession,
  cache: FeatureCache,
  report: (progress: Omit<TrainProgress, 'numTensors' | 'rssBytes'>) => void,
): Promise<{ train: FeatureSet; val: FeatureSet }> {
  const { base, config, data, preprocess, pixelCache, signal } = session;
  const common = { base, cache, preprocess, pixelCache, seed: config.seed, augment: config.augmentation ?? {}, signal };
  const totalRows = data.train.length * (config.augment + 1) + data.validation.length;
  let rowsBefore = 0;
  // Speed of this machine: rows computed (not read from the cache) over the time since the extractor was chosen.
  let computedBefore = 0;
  let computed = 0;
  let engine: ExtractorChoice['engine'] | undefined;
  let seconds: (() => number) | undefined;
  const onProgress = (done: number, _total: number, made: number) => {
    computed = computedBefore + made;
    report({ phase: 'extract', done: rowsBefore + done, total: totalRows });
  };
  const onExtractor = (extractor: ExtractorChoice) => {
    engine = extractor.engine;
    seconds ??= stopwatch();
    report({ phase: 'extract', done: rowsBefore, total: totalRows, extractor });
  };
  const train = await extractFeatureSet({
    ...common,
    images: data.train,
    variants: config.augment,
    onProgress,
    onExtractor,
  });
  rowsBefore = data.train.length * (config.augment + 1);
  computedBefore = computed;
  const val = await extractFeatureSet({ ...common, images: data.validation, onProgress, onExtractor });
  if (engine && seconds) await recordRunSpeed(base.info.id, `extract.${engine}`, computed, seconds());
  leaveOut(session, [...(train.skipped ?? []), ...(val.skipped ?? [])]);
  return { train, val };
}

/**
 * Images that could not be read while extracting (deleted or changed since the scan) leave the run: out of
 * its splits (the fine-tune phase must not read them either) and into `skipped`, in run.json too.
 */
function leaveOut(session: RunSession, skipped: NonNullable<FeatureSet['skipped']>): void {
  if (skipped.length === 0) return;
  const { data, state } = session;
  const gone = new Set(skipped.map((s) => s.image.path));
  data.train = data.train.filter((image) => !gone.has(image.path));
  data.validation = data.validation.filter((image) => !gone.has(image.path));
  for (const { image, message } of skipped) {
    data.skipped.push({ path: image.path, kind: existsSync(image.path) ? 'corrupt' : 'unreadable', message });
  }
  state.skipped = data.skipped;
  if (data.train.length === 0 || data.validation.length === 0) {
    throw new StudioError(
      'BAD_INPUT',
      `Too many images could not be read while extracting features: ${skipped[0]!.message}`,
    );
  }
}

/** The head phase, saving the best head as `head/`; or, when an earlier session finished it, that head. */
export async function headOfRun(
  session: RunSession,
  features: { train: FeatureSet; val: FeatureSet },
): Promise<tf.Sequential> {
  const { runDir, state, config, data, base } = session;
  const head = buildSeededHead(state.request.head, base.info.featureShape, data.classes.length, config.seed);
  session.models.push(head);
  if (state.headDone) {
    // Compiled only to hold weights: no optimizer state to restore.
    head.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await restoreCheckpoint(head, headDir(runDir));
    return head;
  }
  const phase = headPhase({
    head,
    train: features.train,
    val: features.val,
    numClasses: data.classes.length,
    config,
    best: bestWeightsFor(config),
    classWeights: session.classWeights,
    callbacks: budgetCallbacks(session, 'head'),
    signal: session.signal,
  });
  const epochsBefore = state.history.length;
  const seconds = stopwatch();
  await runCheckpointedPhase('head', phase, session);
  const rows = features.train.labels.length * (state.history.length - epochsBefore);
  await recordRunSpeed(base.info.id, 'headRows', rows, seconds());
  state.headDone = true;
  state.fineTuneStartEpoch = (state.history.at(-1)?.epoch ?? -1) + 1;
  await saveModel(head, headDir(runDir));
  await writeRunState(runDir, state);
  return head;
}

/**
 * The fine-tune phase on the assembled classifier `full` (base + best head): its epochs follow
 * phase 1's, and the best so far is the assembled model as it is now.
 * @throws StudioError UNSUPPORTED when the base cannot be fine-tuned.
 */
export async function fineTuneOfRun(session: RunSession, full: tf.LayersModel): Promise<void> {
  const { state, config, data, base } = session;
  if (!base.info.fineTunable) {
    throw new StudioError(
      'UNSUPPORTED',
      `Base ${JSON.stringify(base.info.id)} cannot be fine-tuned (inference-only graph model).`,
    );
  }
  if (await fineTuneSkippedForBudget(session)) return;
  const setup = prepareFineTune(full, config);
  if (setup.suffix !== full) session.models.push(setup.suffix);
  if (setup.prefix) session.models.push(setup.prefix);
  // The best so far is the phase-1 head on the untouched base, i.e. the model as assembled now.
  const headBest = state.best;
  const best = bestWeightsFor(
    config,
    headBest
      ? { bestEpoch: headBest.epoch, bestValLoss: headBest.valLoss, bestValAccuracy: headBest.valAccuracy, wait: 0 }
      : undefined,
  );
  best.setBestWeights(setup.suffix.getWeights().map((w) => w.clone()));
  const stored = setup.prefix && activationStore(session, setup.prefix);
  const activations = stored?.store;
  try {
    // The one-off step, shown as its own phase: the frozen prefix's outputs of the plain images (validation too).
    await stored?.plainStep(data.train, data.validation);
    const phase = fineTunePhase({
      setup,
      config,
      train: data.train,
      validation: data.validation,
      batches: {
        info: base.info,
        numClasses: data.classes.length,
        preprocess: session.preprocess,
        pixelCache: session.pixelCache,
      },
      initialEpoch: state.fineTuneStartEpoch ?? state.history.length,
      best,
      ...(activations ? { activations } : {}),
      ...(session.classWeights ? { classWeights: session.classWeights } : {}),
      callbacks: budgetCallbacks(session, 'fine-tune'),
      signal: session.signal,
    });
    const epochsBefore = state.history.length;
    const seconds = stopwatch();
    const cachingBefore = activations?.computeSeconds ?? 0;
    await runCheckpointedPhase('fine-tune', phase, session);
    // Epochs only: a variant computed on its first epoch is the caching step's time, not fine-tuning's.
    const epochSeconds = seconds() - ((activations?.computeSeconds ?? 0) - cachingBefore);
    // Recorded as the speed of one block (what shared/auto scales by its per-block cost), whatever this run unfroze.
    const blockCost = 1 + AUTO_TABLE.fineTune.costPerExtraBlock * Math.max(0, config.fineTune.top - 1);
    await recordRunSpeed(
      base.info.id,
      'fineTune',
      data.train.length * (state.history.length - epochsBefore) * blockCost,
      epochSeconds,
    );
  } finally {
    await activations?.close();
  }
}

/**
 * The run's store of prefix activations, reporting its computing as the 'prefix' phase: the plain training and
 * validation images as one step (`plainStep`), an augmented variant (computed on its first epoch) as its own.
 */
function activationStore(session: RunSession, prefix: tf.LayersModel) {
  const { config, base } = session;
  const step: { before: number; total: number } = { before: 0, total: 0 };
  let inPlainStep = false;
  const store = new PrefixActivations({
    prefix,
    info: base.info,
    preprocess: session.preprocess,
    pixelCache: session.pixelCache,
    augmentOptions: config.augmentation ?? {},
    seed: config.seed,
    cacheRoot: session.cacheRoot,
    signal: session.signal,
    onProgress: ({ done, total, extractor }) => {
      const { before, total: all } = inPlainStep ? step : { before: 0, total };
      session.progress(
        {
          phase: 'prefix',
          done: before + done,
          total: all,
          ...(extractor ? { extractor } : {}),
          numTensors: tf.memory().numTensors,
          rssBytes: process.memoryUsage().rss,
        },
        done === 0 || done === total ? { milestone: true } : {},
      );
    },
  });
  /** Opens (or computes) the plain files of `train` then `validation`, reported as one step. */
  const plainStep = async (train: readonly LabelledImage[], validation: readonly LabelledImage[]) => {
    inPlainStep = true;
    try {
      Object.assign(step, { before: 0, total: train.length + validation.length });
      await store.open(train, 0);
      step.before = train.length;
      await store.open(validation, 0);
    } finally {
      inPlainStep = false;
    }
  };
  return { store, plainStep };
}
