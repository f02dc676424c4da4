/**
 * `npm run bench -- train [--json]` (format: DESIGN.md §9).
 * - headTrainSeconds: phase-1 head training on 10,000 × 1,280 synthetic features (+1,000 validation), 10 epochs, batch 32
 *   (the default), default head, with the lean steps (row-steps.ts) and LeanAdamOptimizer; headTrainSecondsBatch128 the
 *   same with batch 128; headTrainSecondsModelFit the same work through the previous path (tfjs `model.fitDataset` with
 *   tf.train.adam, called directly), in the same run. Ratio leanLoopVsModelFit = modelFit seconds / lean seconds (speed-up, > 1 is better).
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

/** Seconds for 10 epochs; 'fit' is the previous path: model.fitDataset with tfjs' own Adam, called directly. */
async function headTrainSeconds(batchSize = 32, loop: 'lean' | 'fit' = 'lean'): Promise<number> {
  const config = resolveConfig({ epochs: 10, batchSize, earlyStopping: { patience: 0 } });
  const head = buildSeededHead(undefined, [1280], 10, config.seed);
  const best = bestWeightsFor(config);
  const start = performance.now();
  if (loop === 'fit') await modelFitDataset(head, config.epochs, batchSize, config.seed, config.learningRate);
  else await fitHead({ head, train, val, numClasses: 10, config, best, signal: never });
  const seconds = (performance.now() - start) / 1000;
  best.dispose();
  head.optimizer.dispose();
  head.dispose();
  return seconds;
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
  const head = await headTrainSeconds();
  const headModelFit = await headTrainSeconds(32, 'fit');
  const head128 = await headTrainSeconds(128);
  const { forward, fineTune } = await fineTuneVsForward();
  const eventLoop = await eventLoopP99WhileTraining(tmp);
  printReport({
    bench: 'train',
    backend: tf.getBackend(),
    units: {
      headTrainSeconds: 's',
      headTrainSecondsModelFit: 's',
      headTrainSecondsBatch128: 's',
      forwardImagesPerSecond: 'img/s',
      fineTuneImagesPerSecond: 'img/s',
      eventLoopP99Ms: 'ms',
    },
    results: {
      headTrainSeconds: head,
      headTrainSecondsModelFit: headModelFit,
      headTrainSecondsBatch128: head128,
      forwardImagesPerSecond: forward,
      fineTuneImagesPerSecond: fineTune,
      eventLoopP99Ms: eventLoop,
    },
    ratios: { leanLoopVsModelFit: headModelFit / head, fineTuneVsForward: fineTune / forward },
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
