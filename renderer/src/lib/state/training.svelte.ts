import type { ProgressOf, RequestOf } from '../../../../shared/contract';
import type { DatasetSpecInput } from '../../../../shared/contract/data';
import type { FreezePolicyInput } from '../../../../shared/contract/models';
import {
  TrainConfig,
  type EpochRecord,
  type TrainPhase,
  type TrainResponse,
} from '../../../../shared/contract/training';
import { StudioError, quote } from '../../../../shared/errors';
import type { HeadSpec } from '../../../../shared/layer-spec';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';
import { AutoTrain } from './auto-train.svelte';

export type TrainProgress = ProgressOf<'training.train'>;
export type TrainRequestInput = RequestOf<'training.train'>;

/** One point of the per-batch loss curve; `x` is in epochs (epoch 2, batch 3 of 4 → 2.75). */
export interface BatchPoint {
  x: number;
  loss: number;
}

/** A config problem shown next to its field: the dotted path and the message quoting the value. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** The phase of a run in words. */
export const PHASE_LABELS: Readonly<Record<TrainPhase, string>> = {
  scan: 'Reading the images',
  extract: 'Extracting features',
  head: 'Training the head',
  prefix: 'Preparing fine-tuning',
  'fine-tune': 'Fine-tuning',
  save: 'Saving',
  evaluate: 'Scoring the test images',
};

/** Most batch points kept for the light per-batch loss curve (older ones are thinned). */
const MAX_BATCH_POINTS = 1500;

/** A fresh config with every default of {@link TrainConfig}. */
export function defaultTrainConfig(): TrainConfig {
  return TrainConfig.parse({});
}

/** Whether a config calibrates its probabilities (temperature scaling): on unless `calibrate` is false. */
export function calibrates(config: Pick<TrainConfig, 'calibrate'>): boolean {
  return config.calibrate !== false;
}

/** The fine-tuning depth a freeze policy asks for: top N blocks or layers; 'none' unfreezes everything. */
export function fineTuneOf(freeze: FreezePolicyInput): { top: number; unit: 'blocks' | 'layers' } {
  const n = freeze.n ?? 0;
  if (freeze.mode === 'topBlocks') return { top: n, unit: 'blocks' };
  if (freeze.mode === 'topLayers') return { top: n, unit: 'layers' };
  if (freeze.mode === 'none') return { top: 10_000, unit: 'layers' };
  return { top: 0, unit: 'blocks' };
}

/** The freeze policy matching a fine-tune depth (inverse of {@link fineTuneOf}). */
export function freezeOf(fineTune: { top: number; unit: 'blocks' | 'layers' }): FreezePolicyInput {
  if (fineTune.top <= 0) return { mode: 'all', n: 0 };
  if (fineTune.unit === 'layers' && fineTune.top >= 10_000) return { mode: 'none', n: 0 };
  return { mode: fineTune.unit === 'layers' ? 'topLayers' : 'topBlocks', n: fineTune.top };
}

/** The validation fraction of a run from the Data step's validation percentage (the engine accepts 5–50%). */
export function validationFraction(percent: number): number {
  return Math.min(0.5, Math.max(0.05, percent / 100));
}

/** What a training request is made of (the wizard's other steps plus the config). */
export interface TrainInputs {
  spec: DatasetSpecInput | undefined;
  baseId: string | undefined;
  head: HeadSpec;
  freeze: FreezePolicyInput;
  config: TrainConfig;
  /** Percent of images held out for validation (the Data step's split). */
  validationPercent: number;
  /** Absolute project folder: the run is recorded in it, its folder and the feature cache go inside. Default: none (app folders). */
  projectDir?: string;
  /** The Data step's split (fractions and seed); its test share is held out of training. Default: validationPercent, no test. */
  split?: { train: number; validation: number; test: number; seed: number };
}

/**
 * The `training.train` request for the wizard's state: the dataset's folders, base, head, the
 * config with the fine-tune depth from the freeze policy, and the project folder when one is open. @throws StudioError BAD_INPUT when no folder or base is chosen.
 */
export function buildTrainRequest(inputs: TrainInputs): TrainRequestInput {
  const dirs = inputs.spec?.sources.map((source) => source.path) ?? [];
  if (dirs.length === 0) throw new StudioError('BAD_INPUT', 'Choose image folders on the Data step first.');
  if (!inputs.baseId) throw new StudioError('BAD_INPUT', 'Choose a base on the Base step first.');
  // Calibration is on unless switched off: only `calibrate: false` is sent (absent = the engine's default, on).
  const { calibrate: _calibrate, ...rest } = inputs.config;
  const config: TrainConfig = {
    ...rest,
    ...(calibrates(inputs.config) ? {} : { calibrate: false }),
    validationSplit: validationFraction(inputs.validationPercent),
    fineTune: { ...inputs.config.fineTune, ...fineTuneOf(inputs.freeze) },
  };
  // In a project the engine records the run in project.json and puts it (and the feature cache) inside the folder.
  // `dataset` carries the class renames, merges and exclusions (it wins over `dirs` in the engine).
  return {
    dirs,
    ...(inputs.spec ? { dataset: inputs.spec } : {}),
    ...(inputs.split ? { split: inputs.split } : {}),
    base: inputs.baseId,
    head: inputs.head,
    config,
    ...(inputs.projectDir ? { projectDir: inputs.projectDir } : {}),
  };
}

/** Every problem with a config, each naming the field and quoting the value received. */
export function configIssues(config: unknown): ConfigIssue[] {
  const parsed = TrainConfig.safeParse(config);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = issue.path.join('.');
    const value = issue.path.reduce<unknown>(
      (at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey],
      config,
    );
    return { path, message: `${issue.message.replace(/^Invalid input: /, '')}, received ${quote(value)}` };
  });
}

/** The epoch with the lowest validation loss (what early stopping keeps), or undefined. */
export function bestEpochOf(history: readonly EpochRecord[]): number | undefined {
  let best: EpochRecord | undefined;
  for (const record of history)
    if (Number.isFinite(record.valLoss) && (!best || record.valLoss < best.valLoss)) best = record;
  return best?.epoch;
}

/**
 * The Train step's state: the training config (Keras-style defaults), the running job with its
 * live progress and curves (per epoch, and per batch for the loss), cancel, resume, and the result.
 */
export class Training {
  /** Every option of the run. Default: {@link TrainConfig}'s defaults. */
  config = $state<TrainConfig>(defaultTrainConfig());
  /** "Auto (budget 5 min)": settings chosen from the data and a time budget, each editable. Default: off. */
  readonly auto = new AutoTrain();
  running = $state(false);
  /** What is running: a new run, or a resumed one. */
  mode = $state<'train' | 'resume' | undefined>();
  /** The latest progress message of the running job. */
  progress = $state.raw<TrainProgress | undefined>();
  /** Epoch records: live while running, then the run's full history. */
  history = $state.raw<readonly EpochRecord[]>([]);
  /** Running training loss after each reported batch. */
  batchLoss = $state.raw<readonly BatchPoint[]>([]);
  /** Epochs of the running job as its progress last said (kept through the save phase, which says none). */
  plannedEpochs = $state(0);
  /** The last finished run. */
  result = $state.raw<TrainResponse | undefined>();
  /** Why the last run failed, in words. */
  error = $state<string | undefined>();
  /** Set when the user cancelled: the message (where the best weights are) and the run folder. */
  stopped = $state.raw<{ message: string; runDir?: string } | undefined>();

  /** Problems with {@link config}; Start is disabled while there are any. */
  readonly issues = $derived(configIssues(this.config));
  /** Epochs of both phases. */
  readonly totalEpochs = $derived(
    this.config.epochs + (this.config.fineTune.top > 0 ? this.config.fineTune.epochs : 0),
  );
  /** The kept epoch: the result's, or the lowest val loss so far. */
  readonly bestEpoch = $derived(this.result?.bestEpoch ?? bestEpochOf(this.history));

  private controller: AbortController | undefined;

  constructor(private readonly client: StudioClient) {}

  /** Starts `training.train`; resolves with the result, or undefined when cancelled or failed. */
  train(request: TrainRequestInput): Promise<TrainResponse | undefined> {
    return this.run('train', (options) => this.client.call('training.train', request, options));
  }

  /** Continues a run that stopped (crash, cancel) from its last checkpoint. */
  resume(runDir: string): Promise<TrainResponse | undefined> {
    return this.run('resume', (options) => this.client.call('training.resume', { runDir }, options));
  }

  /** Stops the running job; the engine keeps the best weights so far in the run folder. */
  cancel(): void {
    this.controller?.abort();
  }

  /** Puts every option back to its default. */
  resetConfig(): void {
    this.config = defaultTrainConfig();
  }

  /** Turns temperature scaling on (the field is left out: the default) or off (`calibrate: false`). */
  setCalibrate(on: boolean): void {
    if (on) delete this.config.calibrate;
    else this.config.calibrate = false;
  }

  /** Takes one progress message: the bars, and the curves at batch and epoch ends. */
  onProgress(progress: TrainProgress): void {
    this.progress = progress;
    if (progress.epochs !== undefined && progress.epochs > 0) this.plannedEpochs = progress.epochs;
    if ((progress.phase !== 'head' && progress.phase !== 'fine-tune') || progress.epoch === undefined) return;
    const { epoch, batch, batches, loss, accuracy, valLoss, valAccuracy } = progress;
    if (loss !== undefined && batch !== undefined && batches) {
      const x = epoch + batch / batches;
      const last = this.batchLoss.at(-1);
      if (!last || x > last.x) this.batchLoss = thin([...this.batchLoss, { x, loss }]);
    }
    // The epoch's final message carries its val metrics (batch === batches).
    if (
      batch !== undefined &&
      batch === batches &&
      valLoss !== undefined &&
      valAccuracy !== undefined &&
      loss !== undefined
    ) {
      const record: EpochRecord = {
        epoch,
        phase: progress.phase,
        loss,
        accuracy: accuracy ?? Number.NaN,
        valLoss,
        valAccuracy,
      };
      this.history = [...this.history.filter((r) => r.epoch !== epoch), record].sort((a, b) => a.epoch - b.epoch);
    }
  }

  private async run(
    mode: 'train' | 'resume',
    start: (options: { signal: AbortSignal; onProgress: (p: TrainProgress) => void }) => Promise<TrainResponse>,
  ): Promise<TrainResponse | undefined> {
    if (this.running) return undefined;
    const controller = new AbortController();
    this.controller = controller;
    this.running = true;
    this.mode = mode;
    this.error = undefined;
    this.stopped = undefined;
    this.result = undefined;
    this.progress = undefined;
    this.history = [];
    this.batchLoss = [];
    this.plannedEpochs = 0;
    try {
      const result = await start({ signal: controller.signal, onProgress: (p) => this.onProgress(p) });
      this.result = result;
      this.history = result.history;
      return result;
    } catch (error) {
      const cancelled = controller.signal.aborted || (error instanceof StudioError && error.code === 'CANCELLED');
      const message = errorMessage(error);
      if (cancelled) {
        const details = error instanceof StudioError ? (error.details as { runDir?: string } | undefined) : undefined;
        this.stopped = { message, ...(details?.runDir ? { runDir: details.runDir } : {}) };
      } else this.error = message;
      return undefined;
    } finally {
      this.running = false;
      this.controller = undefined;
    }
  }
}

/** Keeps at most {@link MAX_BATCH_POINTS} points by dropping every other one of the older half. */
function thin(points: BatchPoint[]): BatchPoint[] {
  if (points.length <= MAX_BATCH_POINTS) return points;
  const half = Math.floor(points.length / 2);
  return [...points.slice(0, half).filter((_, i) => i % 2 === 0), ...points.slice(half)];
}

/** Seconds in words: "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A fraction as a percentage with one decimal: 0.9375 → "93.8%". */
export function formatPercent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`;
}
