/**
 * One training run, start to finish (or resumed): scan → split → load base → phase 1 (cached
 * features → head) → optional phase 2 (fine-tune) → final model, with run.json and checkpoints
 * in the run folder after every epoch.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainProgress, TrainRequest, TrainResponse } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import { cacheDir } from '../app-paths';
import { CacheStore } from '../data/cache';
import { resolvePreprocessOptions } from '../data/preprocess';
import { backendReady } from '../runtime';
import { assembleModel } from '../models/assemble';
import { DEFAULT_BASE_ID } from '../models/bases/bundled';
import { loadBase, type LoadedBase } from '../models/bases/registry';
import { disposeModels } from '../models/dispose-models';
import { pruneFolders, saveModel } from './checkpoint';
import { datasetSpecOf, loadDataset, runSplitOf } from './dataset';
import { FeatureCache } from './features-cache';
import { classWeightsOfLabels } from './config';
import { projectRunPaths, recordRunStart, recordRunStatus, verifyProjectOwnsRun } from './project-record';
import { extractRunFeatures, fineTuneOfRun, headOfRun, type RunSession } from './run-phases';
import { calibrateRun } from './calibrate-step';
import { readRunState, writeRunState, type RunState } from '../run-folder/run-file';
import { BEST_FOLDER_PREFIX, CHECKPOINT_FOLDER_PREFIX, modelDir } from '../run-folder/layout';
import { RUN_FILE_VERSION, type RunStatus } from '../../../shared/contract/run-file';
import { evaluateAfterTraining } from '../evaluate/after-training';
import type { ReportOptions } from '../handler';
import { checkResumeData, fingerprintOf } from './data-fingerprint';
import { makeRunDir } from '../run-folder/make-run-dir';
import { defaultRunDir, parseTrainRequest } from './train-request';

/** What a run reports to and takes from its job. */
export interface RunContext {
  signal: AbortSignal;
  progress: (progress: TrainProgress, options?: ReportOptions) => void;
  /** Called after each epoch's checkpoint is on disk (tests kill the engine here). Default: none. */
  onEpochSaved?: (epoch: number) => void | Promise<void>;
}

/**
 * Starts a run. With `projectDir`, the run folder defaults to `<projectDir>/runs/<id>`, the feature
 * cache to `<projectDir>/cache`, and the run is recorded in the project (see project-record.ts).
 */
export async function trainRun(requestInput: TrainRequest, context: RunContext): Promise<TrainResponse> {
  const request = parseTrainRequest(requestInput);
  const inProject = request.projectDir
    ? projectRunPaths(request.projectDir, request.runDir, request.cacheDir)
    : undefined;
  const runDir = path.resolve(inProject?.runDir ?? request.runDir ?? defaultRunDir());
  const cacheDir = inProject?.cacheDir ?? request.cacheDir;
  const startedAt = new Date().toISOString();
  // First, so a missing project or a taken run id fails before anything is written.
  if (inProject) await recordRunStart(inProject.ref, runDir, startedAt);
  let state: RunState | undefined;
  try {
    // The dataset and split are fixed now and recorded, so a resume trains on exactly the same classes and split.
    const dataset = await datasetSpecOf(request);
    const split = runSplitOf(request.split, request.config);
    await makeRunDir(runDir);
    const backend = (await backendReady()).name;
    state = {
      version: RUN_FILE_VERSION,
      status: 'running',
      request: { ...request, dataset, split, runDir, ...(cacheDir ? { cacheDir } : {}) },
      ...(inProject ? { project: inProject.ref } : {}),
      base: request.base ?? DEFAULT_BASE_ID,
      ...(request.auto ? { auto: request.auto } : {}),
      backend,
      classes: [],
      history: [],
      headDone: false,
      durationMs: 0,
      startedAt,
      updatedAt: '',
    };
    await writeRunState(runDir, state);
  } catch (error) {
    if (inProject) {
      const message = error instanceof Error ? error.message : String(error);
      await recordRunStatus(inProject.ref, { ...(state ?? ({} as RunState)), error: message }, 'failed').catch(
        () => undefined,
      );
    }
    throw error;
  }
  return execute(runDir, state, context);
}

/** How a resume goes on (see {@link resumeRun}). */
export interface ResumeOptions {
  /** Continue (and record it) when the images changed since the run started. Default: false (refused). */
  allowChangedData?: boolean;
}

/**
 * Continues a run from its last checkpoint, with the dataset and split recorded in its run.json.
 * A project run is resumed only when its project lists this run folder (see verifyProjectOwnsRun).
 * The images must be those the run started with (run.json `data`): otherwise it is refused, naming what
 * changed, and its status is left as it was — unless `allowChangedData`, which records the change.
 * @throws StudioError when it already completed, its project does not own it, or its images changed.
 */
export async function resumeRun(
  runDirInput: string,
  context: RunContext,
  options: ResumeOptions = {},
): Promise<TrainResponse> {
  const runDir = path.resolve(runDirInput);
  const state = await readRunState(runDir);
  if (state.status === 'completed') {
    throw new StudioError('BAD_INPUT', `The run in ${JSON.stringify(runDir)} already completed; nothing to resume.`);
  }
  if (state.project) await verifyProjectOwnsRun(state.project, runDir);
  const previousStatus = state.status;
  state.backend = (await backendReady()).name;
  state.status = 'running';
  delete state.error;
  if (state.project) await recordRunStatus(state.project, state, 'running');
  return execute(runDir, state, context, { previousStatus, allowChangedData: options.allowChangedData ?? false });
}

async function execute(
  runDir: string,
  state: RunState,
  context: RunContext,
  resume?: { previousStatus: RunStatus; allowChangedData: boolean },
): Promise<TrainResponse> {
  const resumed = resume !== undefined;
  const started = performance.now();
  const baseDuration = state.durationMs;
  // Live: every run.json write (each epoch's too) records the time so far, so a run killed with -9 and
  // resumed still counts the sessions before the kill.
  Object.defineProperty(state, 'durationMs', {
    get: () => baseDuration + (performance.now() - started),
    set: () => undefined,
    enumerable: true,
    configurable: true,
  });
  const { request } = state;
  const config = request.config;
  const models: tf.LayersModel[] = [];
  let base: LoadedBase | undefined;
  const report = (p: Omit<TrainProgress, 'numTensors' | 'rssBytes'>) =>
    context.progress({ ...p, numTensors: tf.memory().numTensors, rssBytes: process.memoryUsage().rss });
  const warnings: string[] = [];
  const persist = async (status: RunState['status'], error?: string) => {
    state.status = status;
    if (error) state.error = error;
    await writeRunState(runDir, state);
    if (state.project) {
      // The run itself is safe in run.json; a project that cannot be written (moved, read-only) must not lose it.
      await recordRunStatus(state.project, state, status).catch((e: unknown) => {
        warnings.push(
          `The run finished but its record in the project ${JSON.stringify(state.project!.dir)} could not be updated: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    }
  };
  try {
    report({ phase: 'scan', done: 0, total: 1 });
    const cacheRoot = request.cacheDir ?? cacheDir();
    const pixelCache = new CacheStore(cacheRoot);
    // Runs recorded before `dataset` / `split` were kept in run.json fall back to their dirs and config.
    const spec = request.dataset ?? (await datasetSpecOf(request));
    const data = await loadDataset(spec, runSplitOf(request.split, config), pixelCache, context.signal);
    const fingerprint = fingerprintOf(data);
    if (resume) {
      const changes = checkResumeData(runDir, state.data, fingerprint, resume.allowChangedData);
      if (changes.length > 0) {
        state.dataChanges = [...(state.dataChanges ?? []), { at: new Date().toISOString(), changes }];
        warnings.push(`Resumed on changed images (--allow-changed-data): ${changes.join('; ')}.`);
      }
    }
    if (state.classes.length > 0 && state.classes.join('\n') !== data.classes.join('\n')) {
      throw new StudioError(
        'BAD_INPUT',
        `The classes changed since this run started (${state.classes.join(', ')} → ${data.classes.join(', ')}); start a new run.`,
      );
    }
    state.data = fingerprint;
    if (data.skipped.length > 0) state.skipped = data.skipped;
    else delete state.skipped;
    state.classes = data.classes;
    // Held out for the Evaluate step: never trained or validated on.
    state.test = { count: data.test.length, images: data.test };
    warnings.push(...data.warnings);
    base = await loadBase(state.base, { signal: context.signal });
    const session: RunSession = {
      runDir,
      state,
      config,
      signal: context.signal,
      progress: context.progress,
      ...(context.onEpochSaved ? { onEpochSaved: context.onEpochSaved } : {}),
      base,
      data,
      pixelCache,
      cacheRoot,
      preprocess: resolvePreprocessOptions({ size: base.info.inputSize }),
      classWeights: classWeightsOfLabels(
        config.classWeights,
        data.train.map((image) => image.label),
        data.classes.length,
      ),
      models,
    };

    // Extract → head phase → assemble → fine-tune phase → save.
    const cache = new FeatureCache(path.join(cacheRoot, 'features'), base.info.featureSize);
    const features = await extractRunFeatures(session, cache, report);
    const head = await headOfRun(session, features);
    const full = assembleModel(base.model, head);
    models.push(full);
    if (config.fineTune.top > 0) await fineTuneOfRun(session, full);

    report({ phase: 'save', done: 0, total: 1 });
    // After training (history untouched): T fitted on validation and baked into model/, recorded with `completed`.
    state.calibration = await calibrateRun(session, full, head, features.val);
    await saveModel(full, modelDir(runDir));
    const bestRecord = state.best;
    const stoppedBy =
      state.history.length < (state.fineTuneStartEpoch ?? 0) + (config.fineTune.top > 0 ? config.fineTune.epochs : 0) ||
      (config.fineTune.top === 0 && state.history.length < config.epochs)
        ? 'early-stopping'
        : 'completed';
    await persist('completed');
    await pruneFolders(runDir, CHECKPOINT_FOLDER_PREFIX, []);
    await pruneFolders(runDir, BEST_FOLDER_PREFIX, []);
    // Last step: the held-out test split scored with model/ (evaluation.json); never fails the completed run.
    const evaluated = await evaluateAfterTraining(runDir, [...data.train, ...data.validation], context.signal, (p) => {
      if (p.phase === 'predict') report({ phase: 'evaluate', done: p.done, total: p.total });
    });
    if ('record' in evaluated) state.evaluation = evaluated.record;
    else warnings.push(evaluated.warning);
    report({ phase: 'save', done: 1, total: 1 });
    return {
      runDir,
      base: state.base,
      backend: state.backend,
      classes: state.classes,
      history: state.history,
      valAccuracy: bestRecord?.valAccuracy ?? Number.NaN,
      durationMs: Math.round(state.durationMs),
      bestEpoch: bestRecord?.epoch ?? -1,
      stoppedBy,
      resumed,
      trainImages: data.train.length,
      valImages: data.validation.length,
      testImages: data.test.length,
      cache: { hits: cache.hits, misses: cache.misses },
      ...(state.project ? { projectRunId: state.project.runId } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(data.skipped.length > 0 ? { skipped: data.skipped } : {}),
    };
  } catch (error) {
    const cancelled = error instanceof StudioError && error.code === 'CANCELLED';
    if (
      resume &&
      error instanceof StudioError &&
      (error.details as { dataChanged?: boolean } | undefined)?.dataChanged
    ) {
      // Refused before training: the run stays as it was.
      await persist(resume.previousStatus).catch(() => undefined);
      throw error;
    }
    await persist(cancelled ? 'cancelled' : 'failed', error instanceof Error ? error.message : String(error)).catch(
      () => undefined,
    );
    if (cancelled)
      throw new StudioError(
        'CANCELLED',
        `Training was cancelled; the best weights so far are kept in ${JSON.stringify(runDir)}; the run can be resumed.`,
        { runDir, bestEpoch: state.best?.epoch ?? -1 },
      );
    throw error;
  } finally {
    disposeModels([...models, base?.model]);
  }
}
