/**
 * Every number the automatic settings and the base recommendation use, in one place, so measurements
 * (bench/quality.bench.ts) can change them without touching the logic (auto-settings.ts, recommend-base.ts).
 */

/** A row of a "first row whose `below` exceeds the value" table. */
export interface Step<T> {
  below: number;
  value: T;
}

/** The value of the first row whose `below` exceeds `x`, else `otherwise`. */
export function lookup<T>(table: readonly Step<T>[], x: number, otherwise: T): T {
  return table.find((row) => x < row.below)?.value ?? otherwise;
}

export const AUTO_TABLE = {
  /** Augmented variants per training image by the smallest class's training images (fewer images, more variants). */
  augment: [
    { below: 50, value: 4 },
    { below: 200, value: 2 },
    { below: 500, value: 1 },
  ] as readonly Step<number>[],
  /** Variants when the smallest class has more training images than the table's last row. */
  augmentOtherwise: 0,
  /** Largest share of the budget reading the images (with their variants) may take; variants are cut until it fits. */
  extractShare: 0.5,
  /**
   * Head epochs: as many as fit in `headShare` of the budget, between `min` and `max` (early stopping ends sooner).
   * docs/experiments.md: a cap of 60 instead of 20 gained 9 points on the unseen-style icons and cost nothing on
   * Fashion-MNIST, where early stopping ended at epoch 24 by itself.
   */
  headEpochs: { min: 5, max: 60 },
  headShare: 0.2,
  fineTune: {
    /** Blocks to unfreeze by the smallest class's training images (more data, deeper fine-tuning). */
    blocks: [
      { below: 100, value: 1 },
      { below: 500, value: 2 },
    ] as readonly Step<number>[],
    blocksOtherwise: 3,
    /** Extra blocks when most images are tiny (far from the photos the base learned from). */
    smallImageExtraBlocks: 1,
    maxBlocks: 4,
    /** Fewest epochs worth fine-tuning for; below this, fine-tuning is left off. */
    minEpochs: 2,
    maxEpochs: 5,
    /**
     * Learning rate of the fine-tuning optimizer (Adam) by the smallest class's training images. docs/experiments.md:
     * on the icon styles (120 per class) 1e-4 hurt at once and 1e-5 (the Keras guide's) gained a little; on
     * Fashion-MNIST (800 per class) 1e-5 barely moves the top blocks and 1e-4 gained; 3e-4 and 1e-3 hurt or diverged.
     */
    learningRate: [{ below: 500, value: 1e-5 }] as readonly Step<number>[],
    learningRateOtherwise: 1e-4,
    /**
     * Each block unfrozen beyond the first makes a fine-tuning step this much slower (backward through more layers).
     * Measured on stored activations (bench fine-tune-step, wasm): top 1, 2, 3, 4 blocks at 69, 52, 39, 30 images/s.
     */
    costPerExtraBlock: 0.4,
  },
  /** Validation images go this many times faster than training images (forward pass only). */
  validationSpeedup: 3,
  /** Seconds of fixed work per run: loading the base, saving, scoring the test images. */
  overheadSeconds: 15,
  /** An image is small when its shorter side is under this many pixels (the scan's "tiny"). */
  smallImageSide: 32,
  /** Images count as small when at least this share of them is. */
  smallImageShare: 0.5,
  /**
   * Fine-tuning images/s (one block, on stored activations) as a share of a measured extraction speed, when
   * fine-tuning itself is not measured yet (this machine, MobileNetV2: ORT ~200 and tfjs ~20 images/s extracting,
   * tfjs wasm ~60 fine-tuning one block).
   */
  fineTunePerExtract: { onnxruntime: 0.3, tfjs: 3 },
  /** Speeds assumed before anything is measured (MobileNetV2 224 on a 2-core machine: ORT, tfjs wasm). */
  fallbackSpeed: { extract: 150, fineTune: 60, headRows: 3000 },
  /** Bases recommended as the general default when downloaded or downloadable, best first (ImageNet-trained). */
  imagenetDefaults: ['tm-mobilenet-v2-1.00'] as readonly string[],
  /** The offline fallback: the fast bundled base. */
  offlineDefault: 'nsfwjs-mobilenet-v2',
} as const;
