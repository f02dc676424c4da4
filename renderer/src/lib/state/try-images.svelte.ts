import type { PredictionRow, PredictResponse } from '../../../../shared/contract/evaluate';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';

/** How many classes each tried image lists. */
export const TRY_TOP = 5;

/**
 * The Try panel: images (files or folders, by path) run through a run's model with `prediction.predict`;
 * each gives its top classes with probabilities, or the reason it could not be read.
 */
export class TryImages {
  /** One row per image of the last try, newest try first. */
  rows = $state.raw<readonly PredictionRow[]>([]);
  running = $state(false);
  /** Why the last try failed as a whole (no model, engine error), in words. */
  error = $state<string | undefined>();
  /** The last answer's timing: whole call and model-only throughput. */
  timing = $state.raw<{ durationMs: number; imagesPerSecond: number } | undefined>();

  constructor(private readonly client: StudioClient) {}

  /** Predicts `paths` (image files and folders) with the model of run folder `model`; later tries go on top. */
  async predict(model: string | undefined, paths: readonly string[]): Promise<PredictResponse | undefined> {
    if (!model) {
      this.error = 'Open a finished run first: its model makes the predictions.';
      return undefined;
    }
    if (paths.length === 0 || this.running) return undefined;
    this.running = true;
    this.error = undefined;
    try {
      const response = await this.client.call('prediction.predict', { model, paths: [...paths], top: TRY_TOP });
      this.rows = [...response.predictions, ...this.rows.filter((row) => !paths.includes(row.path))];
      this.timing = { durationMs: response.durationMs, imagesPerSecond: response.imagesPerSecond };
      return response;
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    } finally {
      this.running = false;
    }
  }

  /** Forgets the tried images. */
  clear(): void {
    this.rows = [];
    this.error = undefined;
    this.timing = undefined;
  }
}
