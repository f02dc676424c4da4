import * as tf from '@tensorflow/tfjs';
import type { RawLogs } from './logs';

/**
 * Stops `fit` after the current batch once `signal` aborts (via `model.stopTraining`), and
 * remembers that it did. Put it last in the callback list so the others see the finished batch.
 */
export class CancelCallback extends tf.Callback {
  /** True once training was stopped because of the signal. */
  cancelled = false;

  constructor(private readonly signal: AbortSignal) {
    super();
  }

  override async onBatchEnd(_batch: number, _logs?: RawLogs): Promise<void> {
    if (this.signal.aborted) {
      this.cancelled = true;
      this.model.stopTraining = true;
    }
  }
}
