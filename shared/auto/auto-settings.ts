/**
 * Automatic training settings from the data and a time budget: augmentation variants, head epochs, how far
 * and how long to fine-tune (blocks, epochs, learning rate) on a base, with ONE plain sentence of why and the
 * estimated duration. Pure (no node, no tfjs): the Train step computes it live, the CLI before `train`.
 * Every number lives in auto-table.ts.
 */
import { AUTO_TABLE, lookup } from './auto-table';
import { budgetAdjective } from './budget';

/** Measured speeds of the base on this machine; a missing one is taken from `AUTO_TABLE.fallbackSpeed`. */
export interface AutoSpeeds {
  /** Images/s of feature extraction (the faster engine available). */
  extract?: number;
  /** Images/s of fine-tuning one block on stored activations (tfjs), the prepare step aside. */
  fineTune?: number;
  /** Feature rows/s of head training. */
  headRows?: number;
}

/** What the settings are chosen from. */
export interface AutoInput {
  /** Time budget of the whole run, in seconds. */
  budgetSeconds: number;
  /** Usable images per class, all splits together. */
  imagesPerClass: readonly number[];
  /** Share of each class trained on. Default: 0.8. */
  trainFraction?: number;
  /** Share of each class held out for validation. Default: 1 − trainFraction. */
  validationFraction?: number;
  /** Share of the images whose shorter side is under 32 px (the scan's "tiny" count / images). Default: 0. */
  smallImageShare?: number;
  /** The base to train on. */
  base: { id: string; fineTunable: boolean };
  /** Default: none measured (the table's fallback speeds). */
  speeds?: AutoSpeeds;
}

/** What {@link chooseAutoSettings} chose. */
export interface AutoSettings {
  base: string;
  /** Augmented variants per training image (TrainConfig.augment). */
  augment: number;
  /** Head epochs (TrainConfig.epochs). */
  epochs: number;
  /** top 0 = no fine-tuning (TrainConfig.fineTune; unit blocks). */
  fineTune: { top: number; epochs: number; learningRate: number };
  /** One plain sentence of why. */
  reason: string;
  /** Estimated duration of the whole run with these settings, in seconds. */
  estimatedSeconds: number;
  /** Speeds that were not measured and were assumed from the table. */
  assumed: (keyof AutoSpeeds)[];
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Chooses the settings (see the file comment). Deterministic: the same input gives the same output. */
export function chooseAutoSettings(input: AutoInput): AutoSettings {
  const T = AUTO_TABLE;
  const budget = input.budgetSeconds;
  const trainFraction = input.trainFraction ?? 0.8;
  const validationFraction = input.validationFraction ?? 1 - trainFraction;
  const images = input.imagesPerClass.reduce((a, b) => a + b, 0);
  const nTrain = images * trainFraction;
  const nVal = images * validationFraction;
  const smallestClass = Math.min(...input.imagesPerClass) * trainFraction;
  const small = (input.smallImageShare ?? 0) >= T.smallImageShare;
  const assumed = (['extract', 'fineTune', 'headRows'] as const).filter((k) => !(input.speeds?.[k] ?? 0));
  const speed = {
    extract: input.speeds?.extract || T.fallbackSpeed.extract,
    fineTune: input.speeds?.fineTune || T.fallbackSpeed.fineTune,
    headRows: input.speeds?.headRows || T.fallbackSpeed.headRows,
  };

  // 1. Augmentation: more variants for small classes, cut until reading the images fits its share.
  const extractSeconds = (variants: number) => (nTrain * (1 + variants) + nVal) / speed.extract;
  const wanted = lookup(T.augment, smallestClass, T.augmentOtherwise);
  let augment = wanted;
  while (augment > 0 && extractSeconds(augment) > T.extractShare * budget) augment--;
  const extract = extractSeconds(augment);

  // 2. Head epochs: as many as fit in the head's share (early stopping usually ends sooner).
  const rows = nTrain * (1 + augment);
  const headEpochSeconds = rows / speed.headRows + nVal / (speed.headRows * T.validationSpeedup);
  const epochs = clamp(Math.floor((T.headShare * budget) / headEpochSeconds), T.headEpochs.min, T.headEpochs.max);
  const head = epochs * headEpochSeconds;

  // 3. Fine-tuning: as deep as the data calls for, made shallower until the fewest epochs worth it fit; then as many
  // epochs as the rest of the budget holds. The frozen layers below the cut run once per image (the prepare step, at
  // about the extraction speed); every epoch trains the top on the stored activations (docs/fine-tuning.md).
  const F = T.fineTune;
  const wantedBlocks = Math.min(
    F.maxBlocks,
    lookup(F.blocks, smallestClass, F.blocksOtherwise) + (small ? F.smallImageExtraBlocks : 0),
  );
  const ftPrepareSeconds = (nTrain + nVal) / speed.extract;
  const ftEpochSecondsOf = (blocks: number) =>
    (nTrain / speed.fineTune) * (1 + F.costPerExtraBlock * (blocks - 1)) +
    nVal / (speed.fineTune * T.validationSpeedup);
  const left = budget - T.overheadSeconds - extract - head - ftPrepareSeconds;
  let blocks = wantedBlocks;
  while (blocks > 1 && Math.floor(left / ftEpochSecondsOf(blocks)) < F.minEpochs) blocks--;
  const ftEpochSeconds = ftEpochSecondsOf(blocks);
  const ftEpochs = input.base.fineTunable ? Math.min(F.maxEpochs, Math.floor(left / ftEpochSeconds)) : 0;
  const learningRate = lookup(F.learningRate, smallestClass, F.learningRateOtherwise);
  const fineTune =
    ftEpochs >= F.minEpochs
      ? { top: blocks, epochs: ftEpochs, learningRate }
      : { top: 0, epochs: F.maxEpochs, learningRate };
  const estimatedSeconds = Math.round(
    T.overheadSeconds + extract + head + (fineTune.top > 0 ? ftPrepareSeconds + fineTune.epochs * ftEpochSeconds : 0),
  );

  // 4. One sentence.
  const within = `your ${budgetAdjective(budget)} budget with ${count(images)} images`;
  let what: string;
  if (fineTune.top > 0) {
    const extra =
      blocks < wantedBlocks
        ? ` (not ${wantedBlocks}: deeper would not fit)`
        : small
          ? ' (one more for tiny images)'
          : '';
    what = `Fine-tuning the top ${plural(fineTune.top, 'block')}${extra} for ${plural(fineTune.epochs, 'epoch')} fits ${within}`;
  } else if (!input.base.fineTunable) {
    what = `Training the head for up to ${epochs} epochs fits ${within} (this base cannot be fine-tuned)`;
  } else {
    const need = T.overheadSeconds + extract + head + ftPrepareSeconds + F.minEpochs * ftEpochSeconds;
    what =
      estimatedSeconds > budget
        ? `Even the head alone needs about ${minutes(estimatedSeconds)} for ${count(images)} images, more than your ${budgetAdjective(budget)} budget`
        : `Training only the head (up to ${epochs} epochs) fits ${within}; fine-tuning would need about ${minutes(need)}`;
  }
  const why =
    augment > 0
      ? `augmentation ×${augment} because the smallest class has under ${count(T.augment.find((r) => r.value === wanted)!.below)} training images`
      : wanted > 0
        ? `no augmentation, as it would not fit the budget`
        : `no augmentation, as every class has ${count(T.augment.at(-1)!.below)} training images or more`;
  return {
    base: input.base.id,
    augment,
    epochs,
    fineTune,
    reason: `${what}; ${why}.`,
    estimatedSeconds,
    assumed,
  };
}

function clamp(x: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, x));
}

/** Seconds as rounded minutes for sentences: 40 → "1 min", 330 → "6 min". */
function minutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}
