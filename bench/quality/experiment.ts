/**
 * One experiment of the quality benchmark: a head trained on chosen feature columns (and augmented rows), scored on a
 * held-out set (optionally with flip test-time augmentation), with ECE before and after temperature scaling.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfigInput } from '../../shared/contract/training';
import type { HeadSpec } from '../../shared/layer-spec';
import { selectParts, joinColumns, type FeatureMatrix } from './features';
import type { FeatureSet } from '../../main/engine/training/head-phase';
import { predict, stratifiedSplit, trainHead } from './heads';
import {
  accuracy,
  averageProbabilities,
  expectedCalibrationError,
  fitTemperature,
  withTemperature,
  type Probabilities,
} from './metrics';

/** The feature matrices of a task an experiment draws from (each optional one only when some setting needs it). */
export interface TaskFeatures {
  numClasses: number;
  trainLabels: Int32Array;
  testLabels: Int32Array;
  /** MobileNetV2 with inner taps, plain pixels: training and test images. */
  train: FeatureMatrix;
  test: FeatureMatrix;
  /** Training images' augmented variants, by augmentation name (only for the images at `augmentedImages`). */
  augmented?: Record<string, { images: number[]; matrices: FeatureMatrix[] }>;
  /** Mirrored test images (only those at `flippedImages`). */
  flipped?: { images: number[]; matrix: FeatureMatrix };
  /** Another base's features of some training and test images. */
  second?: { trainImages: number[]; testImages: number[]; train: FeatureMatrix; test: FeatureMatrix };
}

/** What an experiment changes from the default. */
export interface Setting {
  name: string;
  /** Columns (layers) of the tapped matrix. Default: ['feature'] (the base's pooled feature). */
  layers?: string[];
  head?: HeadSpec | string;
  config?: TrainConfigInput;
  /** Add the rows of this augmentation's variants (training images restricted to those it covers). Default: none. */
  augment?: string;
  /** Restrict training images to the first `n` per class (to compare with an augmented run). Default: all. */
  trainPerClass?: number;
  /** Average the predictions of each test image and its mirror (test restricted to the flipped images). Default: false. */
  flipTta?: boolean;
  /** Restrict the test set to the flipped images without averaging (the same-subset baseline). Default: false. */
  flippedSubset?: boolean;
  /** Concatenate the second base's feature (train and test restricted to its images). Default: false. */
  secondBase?: boolean;
  /** Use only the second base's images, without concatenating (the same-subset baseline). Default: false. */
  secondSubset?: boolean;
}

/** One line of the results table. */
export interface ExperimentResult {
  setting: string;
  trainImages: number;
  testImages: number;
  accuracy: number;
  ece: number;
  eceAfterTemperature: number;
  temperature: number;
  epochs: number;
  headSeconds: number;
  /** Extraction seconds of the rows used (train + test), from the measured time of each matrix. */
  extractSeconds: number;
}

/** Trains and scores one setting; every tensor it makes is disposed. */
export async function runSetting(task: TaskFeatures, setting: Setting, seed = 1): Promise<ExperimentResult> {
  const layers = setting.layers ?? ['feature'];
  let trainImages = [...task.trainLabels.keys()];
  let testImages = [...task.testLabels.keys()];
  if (setting.trainPerClass !== undefined) trainImages = firstPerClass(task.trainLabels, setting.trainPerClass);
  const augmented = setting.augment ? task.augmented?.[setting.augment] : undefined;
  if (setting.augment && !augmented) throw new Error(`No augmented features named ${JSON.stringify(setting.augment)}.`);
  if (augmented) trainImages = intersect(trainImages, augmented.images);
  if ((setting.flipTta || setting.flippedSubset) && !task.flipped) throw new Error('No flipped test features.');
  if (setting.flipTta || setting.flippedSubset) testImages = task.flipped!.images;
  if ((setting.secondBase || setting.secondSubset) && !task.second) throw new Error('No second-base features.');
  if (setting.secondBase || setting.secondSubset) {
    trainImages = intersect(trainImages, task.second!.trainImages);
    testImages = task.second!.testImages;
  }

  // The columns the setting reads, and where each image's row is in each matrix.
  const columns = (m: FeatureMatrix) => selectParts(m, layers);
  let train: Source = { matrix: columns(task.train), rowOf: (i) => i };
  let test: Source = { matrix: columns(task.test), rowOf: (i) => i };
  let extractSeconds = share(task.train, trainImages.length) + share(task.test, testImages.length);
  if (setting.secondBase) {
    const second = task.second!;
    train = joined(train.matrix, second.train, second.trainImages);
    test = joined(test.matrix, second.test, second.testImages);
    extractSeconds += share(second.train, trainImages.length) + share(second.test, testImages.length);
  }
  const variants: Source[] = [];
  if (augmented) {
    const position = new Map(augmented.images.map((image, row) => [image, row]));
    for (const m of augmented.matrices) {
      variants.push({ matrix: columns(m), rowOf: (i) => position.get(i)! });
      extractSeconds += share(m, trainImages.length);
    }
  }

  const split = stratifiedSplit(
    trainImages.map((i) => task.trainLabels[i]!),
    0.2,
    seed,
  );
  const fitImages = split.train.map((p) => trainImages[p]!);
  const valImages = split.val.map((p) => trainImages[p]!);
  const fitRows = gather([train, ...variants], fitImages, task.trainLabels);
  const valRows = gather([train], valImages, task.trainLabels);
  const before = tf.memory().numTensors;
  const trained = await trainHead(fitRows, valRows, task.numClasses, {
    ...(setting.head !== undefined ? { head: setting.head } : {}),
    config: { seed, ...setting.config },
  });
  let result: ExperimentResult;
  try {
    const testSet = gather([test], testImages, task.testLabels);
    const testLabels = testSet.labels;
    let probs: Probabilities = predict(trained.head, testSet, task.numClasses);
    const valProbs = predict(trained.head, valRows, task.numClasses);
    if (setting.flipTta) {
      const flipped = task.flipped!;
      const position = new Map(flipped.images.map((image, row) => [image, row]));
      const mirrored = gather(
        [{ matrix: columns(flipped.matrix), rowOf: (i) => position.get(i)! }],
        testImages,
        task.testLabels,
      );
      probs = averageProbabilities(probs, predict(trained.head, mirrored, task.numClasses));
      extractSeconds += flipped.matrix.seconds;
    }
    // Fitted on the validation split's plain predictions (validation images have no cached mirror).
    const temperature = fitTemperature(valProbs, valRows.labels);
    result = {
      setting: setting.name,
      trainImages: trainImages.length,
      testImages: testImages.length,
      accuracy: accuracy(probs, testLabels),
      ece: expectedCalibrationError(probs, testLabels),
      eceAfterTemperature: expectedCalibrationError(withTemperature(probs, temperature), testLabels),
      temperature,
      epochs: trained.epochs,
      headSeconds: trained.seconds,
      extractSeconds,
    };
  } finally {
    trained.head.optimizer?.dispose();
    trained.head.dispose();
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`Setting ${JSON.stringify(setting.name)} left ${leaked} tensors behind.`);
  return result;
}

/** Indices of the first `n` images of each class, in order. */
export function firstPerClass(labels: Int32Array, n: number): number[] {
  const seen = new Map<number, number>();
  const out: number[] = [];
  labels.forEach((label, i) => {
    const k = seen.get(label) ?? 0;
    if (k < n) out.push(i);
    seen.set(label, k + 1);
  });
  return out;
}

/** A feature matrix and the row of each image index in it. */
interface Source {
  matrix: FeatureMatrix;
  rowOf: (image: number) => number;
}

/** Rows of `images` from each source in turn (all of one source, then the next), labelled from `labels`. */
function gather(sources: readonly Source[], images: readonly number[], labels: Int32Array): FeatureSet {
  const dim = sources[0]!.matrix.dim;
  const features = new Float32Array(sources.length * images.length * dim);
  const out = new Int32Array(sources.length * images.length);
  let row = 0;
  for (const { matrix, rowOf } of sources) {
    for (const image of images) {
      const r = rowOf(image);
      if (r === undefined || r < 0 || r >= matrix.rows) throw new Error(`Image ${image} has no row in a matrix.`);
      features.set(matrix.data.subarray(r * dim, (r + 1) * dim), row * dim);
      out[row++] = labels[image]!;
    }
  }
  return { features, labels: out, dim };
}

/** The plain columns of the images a second base covers, joined with that base's columns. */
function joined(first: FeatureMatrix, second: FeatureMatrix, images: readonly number[]): Source {
  const position = new Map(images.map((image, row) => [image, row]));
  const picked = new Float32Array(images.length * first.dim);
  images.forEach((i, r) => picked.set(first.data.subarray(i * first.dim, (i + 1) * first.dim), r * first.dim));
  const matrix = joinColumns([{ ...first, rows: images.length, data: picked }, second]);
  return { matrix, rowOf: (i) => position.get(i)! };
}

function intersect(a: number[], b: number[]): number[] {
  const keep = new Set(b);
  return a.filter((i) => keep.has(i));
}

function share(m: FeatureMatrix, rows: number): number {
  return m.rows === 0 ? 0 : (m.seconds * rows) / m.rows;
}
