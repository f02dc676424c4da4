import * as tf from '@tensorflow/tfjs';

/** Options of {@link BudgetCallback}. */
export interface BudgetOptions {
  /** The run's time budget, in seconds. */
  budgetSeconds: number;
  /** Seconds the run has taken so far (all sessions). */
  elapsedSeconds: () => number;
  /** Seconds kept back for what follows training (saving, scoring the test images). Default: 5. */
  reserveSeconds?: number;
  /** Told when it stops training: after which epoch, and the longest epoch it saw in seconds. Default: none. */
  onStop?: (epoch: number, epochSeconds: number) => void;
  /** Clock in ms, for tests. Default: performance.now. */
  now?: () => number;
}

/**
 * Stops a phase after an epoch when the next one would take the run past its time budget (judged by the longest
 * epoch so far). The phase runner then puts the best weights back, as after early stopping.
 */
export class BudgetCallback extends tf.Callback {
  private readonly now: () => number;
  private begun = 0;
  private longest = 0;
  /** The epoch after which it stopped training, or undefined. */
  stoppedAfter: number | undefined;

  constructor(private readonly options: BudgetOptions) {
    super();
    this.now = options.now ?? (() => performance.now());
  }

  override async onEpochBegin(): Promise<void> {
    this.begun = this.now();
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.longest = Math.max(this.longest, (this.now() - this.begun) / 1000);
    const last = typeof this.params.epochs === 'number' && epoch + 1 >= this.params.epochs;
    const next = this.options.elapsedSeconds() + this.longest + (this.options.reserveSeconds ?? 5);
    if (last || next <= this.options.budgetSeconds) return;
    this.model.stopTraining = true;
    this.stoppedAfter = epoch;
    this.options.onStop?.(epoch, this.longest);
  }
}
