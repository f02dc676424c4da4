/**
 * `npm run bench -- train [--json]` (format: DESIGN.md §9).
 * - headTrainSeconds: phase-1 head training on 10,000 × 1,280 synthetic features (+1,000 validation), 10 epochs, default
 *   head, lean steps (row-steps.ts), LeanAdamOptimizer, the default config (batch 128, learning rate 0.003); measured
 *   before and after the baselines and averaged (the machine is shared, load drifts).
 *   headTrainSecondsOldDefault: the same with the previous default (batch 32, learning rate 0.001), same run;
 *   headTrainSecondsModelFit: batch 32 through tfjs `model.fitDataset` with tf.train.adam, called directly.
 *   Ratios (speed-ups, > 1 is better): newDefaultVsOldDefault, leanLoopVsModelFit (both at batch 32).
 * - realFeaturesValAccuracyNew / …Old (± …Sd): the accuracy side of that change on real features — Fashion-MNIST through
 *   the bundled MobileNetV2 (bench/real-features.ts: 4,000 training images, 1,000 validation images from the test
 *   file), trained with the app's defaults otherwise (20 epochs, early stopping patience 5, best weights restored):
 *   the best epoch's val_acc, mean and sd over seeds 1, 2, 3. realFeaturesSmall…: the same on 400 of the training
 *   images (40 per class). Ratios realFeaturesValAccuracyNewVsOld, realFeaturesSmallValAccuracyNewVsOld.
 * - forwardImagesPerSecond / fineTuneImagesPerSecond: the bundled MobileNetV2 on wasm, same run, same images:
 *   frozen forward pass vs fine-tuning the top 2 blocks (frozen prefix + trainable suffix); ratio fineTuneVsForward.
 * - eventLoopP99Ms: this (main) process's event-loop delay p99 while a real engine process runs a training job.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { printReport } from './report';
import { realFeatures } from './real-features';
import { useWasmBackend } from '../main/engine/training/wasm-setup';
import { resolveConfig } from '../main/engine/training/config';
import { featureBatches, fitHead, type FeatureSet } from '../main/engine/training/head-phase';
import { bestWeightsFor, compileClassifier, runPhase } from '../main/engine/training/phase-runner';
import { FitSteps } from '../main/engine/training/fit-steps';
import { buildSeededHead } from '../main/engine/training/head';
import { prepareFineTune } from '../main/engine/training/fine-tune-phase';
import { smoothedOneHot } from '../main/engine/training/config';
import { createRandom } from '../main/engine/training/seed';
import { loadBase } from '../main/engine/models/bases/registry';
import { DEFAULT_BASE_ID } from '../main/engine/models/bases/bundled';
import { assembleModel } from '../main/engine/models/assemble';
import { scalePixels } from '../main/engine/models/scale';
import { EngineLink } from '../main/engine-link/engine-link';
import { forkEngine } from '../main/engine-link/fork';

const never = new AbortController().signal;

function syntheticFeatures(n: number, dim: number, classes: number, seed: number): FeatureSet {
  const random = createRandom(seed);
  const features = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes;
    for (let d = 0; d < dim; d++) features[i * dim + d] = random() + (d % classes === labels[i] ? 0.5 : 0);
  }
  return { features, labels, dim };
}

const train = syntheticFeatures(10_000, 1280, 10, 1);
const val = syntheticFeatures(1_000, 1280, 10, 2);

/** The default before batch 128: batch 32 at learning rate 0.001. */
const OLD_DEFAULT = { batchSize: 32, learningRate: 1e-3 } as const;

/**
 * Seconds for 10 epochs of the synthetic set. `settings` override the defaults (none: the default config); 'fit' is
 * the previous path: model.fitDataset with tfjs' own Adam, called directly.
 */
async function headTrainSeconds(
  settings: { batchSize?: number; learningRate?: number } = {},
  loop: 'lean' | 'fit' = 'lean',
): Promise<number> {
  const config = resolveConfig({ epochs: 10, earlyStopping: { patience: 0 }, ...settings });
  const head = buildSeededHead(undefined, [1280], 10, config.seed);
  const best = bestWeightsFor(config);
  const start = performance.now();
  if (loop === 'fit') await modelFitDataset(head, config.epochs, config.batchSize, config.seed, config.learningRate);
  else await fitHead({ head, train, val, numClasses: 10, config, best, signal: never });
  const seconds = (performance.now() - start) / 1000;
  best.dispose();
  head.optimizer.dispose();
  head.dispose();
  return seconds;
}

/** Best-epoch val_acc of the app's default training (with `settings`) over seeds 1–3: mean and sample sd. */
async function valAccuracy(
  sets: { train: FeatureSet; val: FeatureSet },
  settings: { batchSize?: number; learningRate?: number },
): Promise<{ mean: number; sd: number }> {
  const accuracies: number[] = [];
  for (const seed of [1, 2, 3]) {
    const config = resolveConfig({ seed, ...settings });
    const head = buildSeededHead(undefined, [sets.train.dim], 10, seed);
    const best = bestWeightsFor(config);
    const result = await fitHead({ head, ...sets, numClasses: 10, config, best, signal: never });
    accuracies.push(result.bestValAccuracy);
    best.dispose();
    head.optimizer.dispose();
    head.dispose();
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const sd = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (accuracies.length - 1));
  return { mean, sd };
}

/** The first `perClass` rows of each class. */
function firstPerClass(set: FeatureSet, perClass: number): FeatureSet {
  const rows: number[] = [];
  const seen = new Map<number, number>();
  set.labels.forEach((label, row) => {
    const n = seen.get(label) ?? 0;
    if (n < perClass) rows.push(row);
    seen.set(label, n + 1);
  });
  const features = new Float32Array(rows.length * set.dim);
  rows.forEach((row, i) => features.set(set.features.subarray(row * set.dim, (row + 1) * set.dim), i * set.dim));
  return { features, labels: Int32Array.from(rows, (row) => set.labels[row]!), dim: set.dim };
}

/** The baseline: tfjs' own `fitDataset` on seeded batches of the rows, validated on tensors. */
async function modelFitDataset(
  head: tf.LayersModel,
  epochs: number,
  batchSize: number,
  seed: number,
  learningRate: number,
): Promise<void> {
  compileClassifier(head, tf.train.adam(learningRate));
  const tensors = (set: FeatureSet) =>
    [
      tf.tensor2d(set.features, [set.labels.length, set.dim]),
      tf.tensor2d(smoothedOneHot(set.labels, 10, 0), [set.labels.length, 10]),
    ] as const;
  const [x, y] = tensors(train);
  const [xVal, yVal] = tensors(val);
  let epoch = 0;
  const dataset = tf.data.generator(
    () => featureBatches(x, y, batchSize, seed, epoch++) as unknown as Iterator<tf.TensorContainer>,
  );
  await head.fitDataset(dataset, { epochs, verbose: 0, validationData: [xVal, yVal] });
  tf.dispose([x, y, xVal, yVal]);
}

async function fineTuneVsForward(): Promise<{ forward: number; fineTune: number }> {
  const base = await loadBase(DEFAULT_BASE_ID);
  const head = buildSeededHead(undefined, base.info.featureShape, 5, 1);
  const model = assembleModel(base.model, head);
  const n = 64;
  const batch = 16;
  const random = createRandom(3);
  const pixels = Uint8Array.from({ length: n * 224 * 224 * 3 }, () => Math.floor(random() * 256));
  const images = scalePixels(pixels, base.info);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % 5),
      'int32',
    ),
    5,
  );
  // Warm-up both paths once (kernel set-up, weight upload).
  tf.tidy(() => base.model.predict(images.slice(0, batch)));
  let start = performance.now();
  for (let i = 0; i < n; i += batch)
    tf.tidy(() => (base.model.predict(images.slice(i, batch)) as tf.Tensor).dataSync());
  const forward = n / ((performance.now() - start) / 1000);

  const config = resolveConfig({ fineTune: { top: 2 } });
  const setup = prepareFineTune(model, config);
  const best = bestWeightsFor(config);
  const batches = function* () {
    for (let i = 0; i < n; i += batch) {
      yield tf.tidy(() => {
        const x = images.slice(i, batch);
        return { xs: setup.prefix ? (setup.prefix.predict(x) as tf.Tensor) : x, ys: labels.slice(i, batch) };
      });
    }
  };
  const valX = setup.prefix ? (setup.prefix.predict(images.slice(0, batch)) as tf.Tensor) : images.slice(0, batch);
  const valY = labels.slice(0, batch);
  const steps = () =>
    new FitSteps({ batches: () => batches(), validation: [valX, valY], samples: n, batchesPerEpoch: n / batch });
  await runPhase({ model: setup.suffix, steps: steps(), epochs: 1, seed: 1, best, signal: never });
  start = performance.now();
  await runPhase({ model: setup.suffix, steps: steps(), initialEpoch: 1, epochs: 2, seed: 1, best, signal: never });
  const fineTune = n / ((performance.now() - start) / 1000);
  best.dispose();
  tf.dispose([images, labels, valX, valY]);
  return { forward, fineTune };
}

async function eventLoopP99WhileTraining(tmp: string): Promise<number> {
  const dir = path.join(tmp, 'images');
  const random = createRandom(9);
  for (const [c, colour] of [
    [0, [200, 40, 40]],
    [1, [40, 200, 40]],
    [2, [40, 40, 200]],
  ] as const) {
    await mkdir(path.join(dir, `class${c}`), { recursive: true });
    for (let i = 0; i < 30; i++) {
      const data = Buffer.alloc(64 * 64 * 3);
      for (let p = 0; p < data.length; p++)
        data[p] = Math.max(0, Math.min(255, colour[p % 3]! + Math.floor((random() - 0.5) * 120)));
      await sharp(data, { raw: { width: 64, height: 64, channels: 3 } })
        .png()
        .toFile(path.join(dir, `class${c}`, `${i}.png`));
    }
  }
  const log = new PassThrough();
  log.resume();
  const host = new EngineLink(forkEngine({ env: { TRANSFER_STUDIO_BACKEND: 'wasm' }, log }));
  try {
    await host.call('info', {});
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    await host.call(
      'training.train',
      {
        dirs: [dir],
        runDir: path.join(tmp, 'run'),
        cacheDir: path.join(tmp, 'cache'),
        config: { epochs: 30, fineTune: { top: 1, epochs: 1 } },
      },
      { onProgress: () => undefined },
    );
    histogram.disable();
    return histogram.percentile(99) / 1e6;
  } finally {
    await host.stop();
  }
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-train-'));
try {
  await useWasmBackend();
  const real = await realFeatures();
  const small = { train: firstPerClass(real.train, 40), val: real.val };
  await headTrainSeconds({ batchSize: 128 }); // warm-up (kernel set-up)
  const headBefore = await headTrainSeconds();
  const headOldDefault = await headTrainSeconds(OLD_DEFAULT);
  const headModelFit = await headTrainSeconds(OLD_DEFAULT, 'fit');
  const head = (headBefore + (await headTrainSeconds())) / 2;
  const accuracyNew = await valAccuracy(real, {});
  const accuracyOld = await valAccuracy(real, OLD_DEFAULT);
  const smallNew = await valAccuracy(small, {});
  const smallOld = await valAccuracy(small, OLD_DEFAULT);
  const { forward, fineTune } = await fineTuneVsForward();
  const eventLoop = await eventLoopP99WhileTraining(tmp);
  printReport({
    bench: 'train',
    backend: tf.getBackend(),
    units: {
      headTrainSeconds: 's',
      headTrainSecondsOldDefault: 's',
      headTrainSecondsModelFit: 's',
      forwardImagesPerSecond: 'img/s',
      fineTuneImagesPerSecond: 'img/s',
      eventLoopP99Ms: 'ms',
    },
    results: {
      headTrainSeconds: head,
      headTrainSecondsOldDefault: headOldDefault,
      headTrainSecondsModelFit: headModelFit,
      realFeaturesValAccuracyNew: accuracyNew.mean,
      realFeaturesValAccuracyNewSd: accuracyNew.sd,
      realFeaturesValAccuracyOld: accuracyOld.mean,
      realFeaturesValAccuracyOldSd: accuracyOld.sd,
      realFeaturesSmallValAccuracyNew: smallNew.mean,
      realFeaturesSmallValAccuracyNewSd: smallNew.sd,
      realFeaturesSmallValAccuracyOld: smallOld.mean,
      realFeaturesSmallValAccuracyOldSd: smallOld.sd,
      forwardImagesPerSecond: forward,
      fineTuneImagesPerSecond: fineTune,
      eventLoopP99Ms: eventLoop,
    },
    ratios: {
      newDefaultVsOldDefault: headOldDefault / head,
      leanLoopVsModelFit: headModelFit / headOldDefault,
      realFeaturesValAccuracyNewVsOld: accuracyNew.mean / accuracyOld.mean,
      realFeaturesSmallValAccuracyNewVsOld: smallNew.mean / smallOld.mean,
      fineTuneVsForward: fineTune / forward,
    },
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
