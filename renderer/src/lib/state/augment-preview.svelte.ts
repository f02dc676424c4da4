import { AugmentOptions, type AugmentOptionsInput } from '../../../../shared/contract/data';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';
import { LatestRequest } from '../latest-request';

export type AugmentSettings = Required<AugmentOptionsInput>;

/** Side of the preview tiles, pixels. */
export const PREVIEW_SIZE = 160;

/**
 * The augmentation settings and a grid of what they do to one sample image (`data.augmentPreview`,
 * deterministic for the seed). The training step reads `settings`.
 */
export class AugmentPreview {
  /** The augmentation used in training. Default: the contract's defaults. */
  settings = $state<AugmentSettings>(AugmentOptions.parse({}) as AugmentSettings);
  /** The image shown augmented. */
  sample = $state<string | undefined>();
  /** Data URLs of the variants, in order. */
  images = $state.raw<readonly string[]>([]);
  loading = $state(false);
  error = $state<string | undefined>();
  /** Seed of the preview; "Shuffle" moves to the next. Default: 0. */
  seed = $state(0);

  private readonly latest = new LatestRequest();

  /**
   * @param count how many variants the grid shows. Default: 8.
   */
  constructor(
    private readonly client: StudioClient,
    readonly count = 8,
  ) {}

  /** Changes one setting and refreshes the grid. */
  set<K extends keyof AugmentSettings>(key: K, value: AugmentSettings[K]): void {
    this.settings = { ...this.settings, [key]: value };
    void this.run();
  }

  /** Shows `path` augmented. */
  show(path: string | undefined): Promise<void> {
    this.sample = path;
    return this.run();
  }

  /** Other random variants of the same image. */
  shuffle(): Promise<void> {
    this.seed++;
    return this.run();
  }

  /** Puts every setting back to its default and refreshes. */
  reset(): Promise<void> {
    this.settings = AugmentOptions.parse({}) as AugmentSettings;
    return this.run();
  }

  /** Fetches the grid for the current sample and settings (only the newest answer is kept). */
  async run(): Promise<void> {
    const path = this.sample;
    const current = this.latest.begin();
    if (!path) {
      this.images = [];
      this.loading = false;
      return;
    }
    this.loading = true;
    this.error = undefined;
    try {
      const { images } = await this.client.call('data.augmentPreview', {
        path,
        count: this.count,
        seed: this.seed,
        augment: { ...this.settings },
        options: { size: PREVIEW_SIZE },
      });
      if (current()) this.images = images.map((image) => `data:${image.mime};base64,${image.base64}`);
    } catch (error) {
      if (current()) {
        this.images = [];
        this.error = errorMessage(error);
      }
    } finally {
      if (current()) this.loading = false;
    }
  }
}
