import type { ResponseOf } from '../../../../shared/contract';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';
import { LatestRequest } from '../latest-request';

export type SplitResult = ResponseOf<'data.split'>;
export type SplitPart = 'train' | 'validation' | 'test';

/** The contract's default fractions (shared/contract/data.ts `data.split`). */
/** Lowest share a part may have: training needs validation images to pick the best epoch. */
export function minPercent(part: 'validation' | 'test'): number {
  return part === 'validation' ? 5 : 0;
}

export const DEFAULT_FRACTIONS: Readonly<Record<SplitPart, number>> = { train: 0.7, validation: 0.15, test: 0.15 };

/**
 * The train/validation/test split of the last scan: percentages and seed chosen here, counts per
 * class from `data.split` (stratified, stable by content hash).
 */
export class DatasetSplit {
  /** Percent of images held out for validation (early stopping, picking the best epoch). Default: 15. */
  validation = $state(Math.round(DEFAULT_FRACTIONS.validation * 100));
  /** Percent held out for the final test (the Evaluate step). Default: 15. */
  test = $state(Math.round(DEFAULT_FRACTIONS.test * 100));
  /** Seed of the assignment; another seed gives another (equally stratified) split. Default: 0. */
  seed = $state(0);
  result = $state.raw<SplitResult | undefined>();
  loading = $state(false);
  error = $state<string | undefined>();

  /** Percent for training: what validation and test leave. */
  readonly train = $derived(100 - this.validation - this.test);
  readonly fractions = $derived({ train: this.train / 100, validation: this.validation / 100, test: this.test / 100 });

  private scanId: string | undefined;
  private readonly latest = new LatestRequest();

  constructor(private readonly client: StudioClient) {}

  /**
   * Sets one held-out share (validation 5–90, test 0–90 percent, whole numbers); the other is lowered if both would
   * leave less than 10% for training. Re-splits when a scan is known.
   */
  setPercent(part: 'validation' | 'test', percent: number): void {
    const value = Math.max(minPercent(part), Math.min(90, Math.round(Number.isFinite(percent) ? percent : 0)));
    const other = part === 'validation' ? 'test' : 'validation';
    this[part] = value;
    if (value + this[other] > 90) this[other] = 90 - value;
    void this.run();
  }

  setSeed(seed: number): void {
    this.seed = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    void this.run();
  }

  /** Splits the scan `scanId` (or the last one again). */
  async run(scanId = this.scanId): Promise<void> {
    this.scanId = scanId;
    if (!scanId) return;
    const current = this.latest.begin();
    this.loading = true;
    this.error = undefined;
    try {
      const result = await this.client.call('data.split', { scanId, fractions: this.fractions, seed: this.seed });
      if (current()) this.result = result;
    } catch (error) {
      if (current()) this.error = errorMessage(error);
    } finally {
      if (current()) this.loading = false;
    }
  }

  /** Forgets the split (the dataset changed and has no scan yet). */
  clear(): void {
    this.scanId = undefined;
    this.latest.invalidate();
    this.result = undefined;
    this.loading = false;
    this.error = undefined;
  }
}
