import * as tf from '@tensorflow/tfjs';
import type { TrainPhase, TrainProgress } from '../../../../shared/contract/training';
import type { ReportOptions } from '../../handler';
import { accuracyOf, epochMetrics, resolveLogs, type RawLogs } from './logs';

/** Options of {@link ProgressCallback}. */
export interface ProgressOptions {
  phase: Extract<TrainPhase, 'head' | 'fine-tune'>;
  /** Last epoch (exclusive, as in fit's `epochs`). */
  epochs: number;
  /** First epoch of this phase (fit's `initialEpoch`). Default: `params.initialEpoch` as the phase runner sets it (after a resume). */
  initialEpoch?: number;
  /** Batches in one epoch. */
  batchesPerEpoch: number;
  /** Receives the progress payloads; an epoch's end (with its validation metrics) comes as a milestone. */
  report: (progress: TrainProgress, options?: ReportOptions) => void;
  /** Minimum ms between batch reports (an epoch's end always reports, as a milestone). Default: 125. */
  intervalMs?: number;
  /** Yield to the event loop at least this often so cancel messages get through. Default: 50. */
  yieldMs?: number;
  /** Clock, for tests. Default: performance.now. */
  now?: () => number;
}

/**
 * Reports training progress: epoch, batch, running loss/accuracy, last val metrics, images/s,
 * ETA, tf.memory().numTensors and RSS — throttled — and yields to the event loop between
 * batches so the engine can receive a cancel while `fit` runs.
 */
export class ProgressCallback extends tf.Callback {
  private readonly now: () => number;
  private started = 0;
  private lastReport = Number.NEGATIVE_INFINITY;
  private lastYield = 0;
  private images = 0;
  private stepsDone = 0;
  private epoch = 0;
  private val: { valLoss?: number; valAccuracy?: number } = {};

  constructor(private readonly options: ProgressOptions) {
    super();
    this.now = options.now ?? (() => performance.now());
  }

  override async onTrainBegin(): Promise<void> {
    this.started = this.now();
    this.lastYield = this.started;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, raw?: RawLogs): Promise<void> {
    const logs = await resolveLogs(raw);
    this.images += logs.size ?? 0;
    this.stepsDone++;
    const now = this.now();
    // The last batch is reported by onEpochEnd, with the epoch's validation metrics (never the previous epoch's).
    const last = batch + 1 >= this.options.batchesPerEpoch;
    if (!last && now - this.lastReport >= (this.options.intervalMs ?? 125)) {
      this.lastReport = now;
      this.emit(batch + 1, logs.loss, accuracyOf(logs));
    }
    if (now - this.lastYield >= (this.options.yieldMs ?? 50)) {
      await new Promise((resolve) => setImmediate(resolve));
      this.lastYield = this.now();
    }
  }

  override async onEpochEnd(_epoch: number, raw?: RawLogs): Promise<void> {
    const metrics = epochMetrics(await resolveLogs(raw));
    if (!metrics) return;
    this.val = { valLoss: metrics.valLoss, valAccuracy: metrics.valAccuracy };
    this.emit(this.options.batchesPerEpoch, metrics.loss, metrics.accuracy, { milestone: true });
  }

  private emit(batch: number, loss: number | undefined, accuracy: number, options?: ReportOptions): void {
    const { epochs, batchesPerEpoch, phase } = this.options;
    const initialEpoch = this.options.initialEpoch ?? (this.params?.initialEpoch as number | undefined) ?? 0;
    const elapsed = (this.now() - this.started) / 1000;
    const total = (epochs - initialEpoch) * batchesPerEpoch;
    const done = (this.epoch - initialEpoch) * batchesPerEpoch + batch;
    const stepRate = elapsed > 0 ? this.stepsDone / elapsed : 0;
    this.options.report(
      {
        phase,
        done,
        total,
        epoch: this.epoch,
        epochs,
        batch,
        batches: batchesPerEpoch,
        ...(loss !== undefined && Number.isFinite(loss) ? { loss } : {}),
        ...(Number.isFinite(accuracy) ? { accuracy } : {}),
        ...this.val,
        imagesPerSecond: elapsed > 0 ? this.images / elapsed : 0,
        ...(stepRate > 0 ? { etaSeconds: Math.max(0, total - done) / stepRate } : {}),
        numTensors: tf.memory().numTensors,
        rssBytes: process.memoryUsage().rss,
      },
      options,
    );
  }
}
