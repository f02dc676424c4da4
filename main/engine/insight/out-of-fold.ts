/**
 * Out-of-fold class probabilities: the features are projected once onto their top principal components
 * (unsupervised, so no label leaks across folds) and scaled; then k multinomial logistic regressions
 * (softmax-regression.ts), each trained on k − 1 stratified folds and predicting the fold it never saw, so every
 * image gets probabilities from a model that did not train on it — the input confident learning needs.
 * By default a second pass repeats it all without training on the images the first pass disagreed with (its most
 * probable class is not their label): flipped labels no longer pull the models toward them, so the probabilities of
 * the images that are mislabelled move further from their given class (measured in docs/insight.md).
 */
import { deriveSeed } from '../training/seed';
import { stratifiedFolds } from './folds';
import { projectPca } from './pca';
import { predictSoftmax, trainSoftmax, type SoftmaxOptions } from './softmax-regression';

/** Options of {@link outOfFoldProbabilities}. */
export interface OutOfFoldOptions extends Omit<SoftmaxOptions, 'seed'> {
  /** Number of folds (≥ 2, at most the number of images). Default: 5. */
  folds?: number;
  /** Seed of the folds, the PCA, the initial weights and the batch order. Default: 42. */
  seed?: number;
  /**
   * Times the whole k-fold is repeated with other fold assignments, the probabilities averaged (repeated
   * cross-validation: which images share a fold moves single predictions a lot on small sets). Default: 3.
   */
  repeats?: number;
  /** Principal components the regressions see. Default: 128. */
  components?: number;
  /**
   * 1: one cross-validation. 2: a second one whose models do not train on the images the first pass's most probable
   * class disagreed with (they are still predicted, by models that never saw them); more counts as 2. Default: 2.
   */
  passes?: number;
  /** Folds done / total (folds × repeats × passes): 0 at the start, then after each fold. Default: none. */
  onProgress?: (done: number, total: number) => void;
}

export interface OutOfFold {
  /** n × classes probabilities, row-major; row i from the model that did not train on image i. */
  probabilities: Float32Array;
  /** Share of images whose most probable class is their label. */
  accuracy: number;
  /** Fold of each image (in the first repetition). */
  folds: Int32Array;
}

/**
 * Scales an n × width matrix of centred principal components by one factor, so the components average unit
 * variance. One factor, not one per column: whitening would blow the noise of the weakest components up to the
 * size of the strongest.
 */
function scaleToUnitVariance(x: Float32Array, n: number, width: number): void {
  let sq = 0;
  for (let i = 0; i < n * width; i++) sq += x[i]! ** 2;
  const rms = Math.sqrt(sq / Math.max(1, n * width));
  if (rms > 0) for (let i = 0; i < n * width; i++) x[i]! /= rms;
}

/** The most probable class of row i (the first on ties). */
function mostProbable(probabilities: Float32Array, classes: number, i: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
  return best;
}

/**
 * Out-of-fold probabilities of n images (features: n × dim, row-major; labels: class index per image).
 * A class with fewer images than folds still works: a fold whose training part lacks it just never predicts it.
 * Uses tfjs only inside projectPca (every tensor disposed there).
 * @throws StudioError CANCELLED when `signal` aborts.
 */
export async function outOfFoldProbabilities(
  features: Float32Array,
  dim: number,
  labels: Int32Array,
  classes: number,
  options: OutOfFoldOptions = {},
): Promise<OutOfFold> {
  const n = labels.length;
  const seed = options.seed ?? 42;
  const probabilities = new Float32Array(n * classes);
  if (n === 0) return { probabilities, accuracy: 0, folds: new Int32Array(0) };
  const folds = Math.max(2, Math.min(options.folds ?? 5, n));
  const repeats = Math.max(1, options.repeats ?? 3);
  const { rows: x, components } = projectPca(features, dim, { components: options.components ?? 128, seed });
  scaleToUnitVariance(x, n, components);
  const passes = Math.max(1, Math.min(2, options.passes ?? 2));
  const total = folds * repeats * passes;
  options.onProgress?.(0, total);
  let foldsOfFirst: Int32Array | undefined;
  let excluded = new Uint8Array(n);
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) {
      excluded = Uint8Array.from(labels, (label, i) => (mostProbable(probabilities, classes, i) === label ? 0 : 1));
      probabilities.fill(0);
    }
    for (let repeat = 0; repeat < repeats; repeat++) {
      const foldOf = stratifiedFolds(labels, folds, repeat === 0 ? seed : deriveSeed(seed, 'repeat', repeat));
      foldsOfFirst ??= foldOf;
      for (let fold = 0; fold < folds; fold++) {
        const train: number[] = [];
        const test: number[] = [];
        for (let i = 0; i < n; i++) {
          if (foldOf[i] === fold) test.push(i);
          else if (!excluded[i]) train.push(i);
        }
        if (test.length > 0 && train.length > 0) {
          const model = await trainSoftmax(x, components, labels, classes, train, {
            ...options,
            seed: deriveSeed(seed, 'model', repeat, fold),
          });
          const predicted = predictSoftmax(model, x, test);
          test.forEach((image, r) => {
            for (let c = 0; c < classes; c++)
              probabilities[image * classes + c]! += predicted[r * classes + c]! / repeats;
          });
        }
        options.onProgress?.((pass * repeats + repeat) * folds + fold + 1, total);
      }
    }
  }
  let correct = 0;
  for (let i = 0; i < n; i++) if (mostProbable(probabilities, classes, i) === labels[i]) correct++;
  return { probabilities, accuracy: correct / n, folds: foldsOfFirst! };
}
