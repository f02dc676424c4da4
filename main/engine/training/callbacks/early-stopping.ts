import * as tf from '@tensorflow/tfjs';
import { epochMetrics, resolveLogs, type RawLogs } from './logs';

/** Options of {@link BestWeightsCallback}. */
export interface BestWeightsOptions {
  /** Epochs without improvement of val_loss before stopping; 0 never stops. Default: 5. */
  patience?: number;
  /** Smallest decrease of val_loss that counts as an improvement. Default: 0. */
  minDelta?: number;
  /** State carried over from an earlier (resumed or previous-phase) run. Default: fresh. */
  initial?: { bestEpoch: number; bestValLoss: number; wait: number; bestValAccuracy: number };
}

/**
 * Early stopping on val_loss with a copy of the best weights (Keras' EarlyStopping with
 * restore_best_weights). It tracks the best epoch always; `restoreBest()` puts those weights back
 * (after early stopping, cancel, or the last epoch). Call `dispose()` to free the copy.
 */
export class BestWeightsCallback extends tf.Callback {
  bestEpoch = -1;
  bestValLoss = Number.POSITIVE_INFINITY;
  bestValAccuracy = Number.NaN;
  /** Epochs since the last improvement. */
  wait = 0;
  /** True when patience ran out. */
  stoppedEarly = false;
  /** True when the last finished epoch was a new best (read by the checkpoint callback). */
  improved = false;
  private best: tf.Tensor[] | undefined;
  private readonly patience: number;
  private readonly minDelta: number;

  constructor(options: BestWeightsOptions = {}) {
    super();
    this.patience = options.patience ?? 5;
    this.minDelta = options.minDelta ?? 0;
    if (options.initial) this.restoreState(options.initial);
  }

  /** Puts back the record of an earlier (resumed) session: best epoch, its metrics and the wait. */
  restoreState(state: NonNullable<BestWeightsOptions['initial']>): void {
    this.bestEpoch = state.bestEpoch;
    this.bestValLoss = state.bestValLoss;
    this.bestValAccuracy = state.bestValAccuracy;
    this.wait = state.wait;
  }

  /** Seeds the best-weights copy (e.g. from the best checkpoint of a resumed run); takes ownership. */
  setBestWeights(weights: tf.Tensor[]): void {
    this.disposeBest();
    this.best = weights.map((w) => tf.keep(w));
  }

  override async onEpochEnd(epoch: number, raw?: RawLogs): Promise<void> {
    this.improved = false;
    const metrics = epochMetrics(await resolveLogs(raw));
    if (!metrics) return; // unfinished epoch (cancelled): nothing to compare
    if (metrics.valLoss < this.bestValLoss - this.minDelta || this.bestEpoch < 0) {
      this.bestValLoss = metrics.valLoss;
      this.bestValAccuracy = metrics.valAccuracy;
      this.bestEpoch = epoch;
      this.wait = 0;
      this.improved = true;
      this.disposeBest();
      this.best = this.model.getWeights().map((w) => tf.keep(w.clone()));
      return;
    }
    this.wait++;
    if (this.patience > 0 && this.wait >= this.patience) {
      this.stoppedEarly = true;
      this.model.stopTraining = true;
    }
  }

  /** True when a best-weights copy exists. */
  get hasBest(): boolean {
    return this.best !== undefined;
  }

  /** Puts the best weights back into the model; returns false when there is no copy. */
  restoreBest(model: tf.LayersModel = this.model): boolean {
    if (!this.best) return false;
    model.setWeights(this.best);
    return true;
  }

  /** Frees the best-weights copy. */
  dispose(): void {
    this.disposeBest();
  }

  private disposeBest(): void {
    if (this.best) tf.dispose(this.best);
    this.best = undefined;
  }
}
