/**
 * A quick probe of a base's speed on this machine, for when no real run has measured it yet: a few batches of a
 * generated image through the feature extractor (ONNX Runtime when the base converts, else tfjs), one short epoch
 * of the real head phase on feature rows, and — optionally — one short epoch of the real fine-tune phase on
 * generated image files (tfjs). Each figure goes to the speed store. Cancellable between batches.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { BaseSpeed } from '../../../../shared/contract/models';
import { throwIfCancelled } from '../../cancel';
import { resolvePreprocessOptions } from '../../data/preprocess';
import { backendReady } from '../../runtime';
import { createExtractor } from '../../onnx/extractor';
import { assembleModel } from '../assemble';
import { disposeModels } from '../dispose-models';
import { loadBase } from '../bases/registry';
import { basesDir } from '../../app-paths';
import { resolveConfig } from '../../training/config';
import { headPhase } from '../../training/head-phase';
import { fineTunePhase, prepareFineTune } from '../../training/fine-tune-phase';
import { bestWeightsFor, runPhase } from '../../training/phase-runner';
import { buildSeededHead } from '../../training/head';
import type { LabelledImage } from '../../training/extract';
import { readSpeeds, recordSpeed, speedStoreFile } from './speed-store';

/** Options of {@link measureSpeed}. */
export interface SpeedProbeOptions {
  signal: AbortSignal;
  /** Also time fine-tuning (the slow part, a few seconds). Default: true. */
  fineTune?: boolean;
  /** Stage done / total. Default: none. */
  onProgress?: (progress: { done: number; total: number; stage: 'load' | 'extract' | 'head' | 'fine-tune' }) => void;
  /** Extraction batches timed (after one warm-up batch of the same size). Default: 3. */
  batches?: number;
  /** Images per extraction batch. Default: 8. */
  batchSize?: number;
  /** The speed store. Default: `speedStoreFile()`. */
  storeFile?: string;
}

const CLASSES = 3;

/** A smooth colour gradient with a few stripes: something for the base to look at, the same every time. */
export function generatedImage(side: number): Uint8Array {
  const pixels = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      pixels[i] = Math.round((255 * x) / side);
      pixels[i + 1] = Math.round((255 * y) / side);
      pixels[i + 2] = (x + y) % 32 < 16 ? 200 : 40;
    }
  }
  return pixels;
}

/** Measures `baseId` (see the file comment), records each figure in the store and returns the base's figures. */
export async function measureSpeed(baseId: string, options: SpeedProbeOptions): Promise<BaseSpeed> {
  const { signal } = options;
  const withFineTune = options.fineTune ?? true;
  const file = options.storeFile ?? speedStoreFile();
  const total = withFineTune ? 4 : 3;
  const report = (done: number, stage: 'load' | 'extract' | 'head' | 'fine-tune') =>
    options.onProgress?.({ done, total, stage });
  report(0, 'load');
  await backendReady();
  // Downloads are not a probe's business: a catalog base must be downloaded first.
  const base = await loadBase(baseId, { cacheDir: basesDir(), download: false, signal });
  const models: tf.LayersModel[] = [base.model];
  try {
    throwIfCancelled(signal);
    report(1, 'extract');
    const side = base.info.inputSize;
    const batchSize = options.batchSize ?? 8;
    const image = generatedImage(side);
    const batch = new Uint8Array(batchSize * image.length);
    for (let i = 0; i < batchSize; i++) batch.set(image, i * image.length);
    const extractor = await createExtractor(base.model, base.info);
    try {
      await extractor.run(batch, batchSize); // warm-up: first-run allocations and compilation
      const started = performance.now();
      const batches = options.batches ?? 3;
      for (let b = 0; b < batches; b++) {
        throwIfCancelled(signal);
        await extractor.run(batch, batchSize);
      }
      const perSecond = (batches * batchSize) / ((performance.now() - started) / 1000);
      await recordSpeed(baseId, `extract.${extractor.engine}`, perSecond, 'probe', file);
    } finally {
      await extractor.dispose();
    }

    report(2, 'head');
    const config = resolveConfig({ epochs: 1, batchSize: 32, fineTune: { top: 2, epochs: 1 } });
    const head = buildSeededHead(undefined, base.info.featureShape, CLASSES, config.seed);
    models.push(head);
    const rows = 1024;
    const dim = base.info.featureSize;
    const features = new Float32Array(rows * dim).map((_, i) => ((i * 2654435761) % 1000) / 1000);
    const labels = Int32Array.from({ length: rows }, (_, i) => i % CLASSES);
    const started = performance.now();
    const best = bestWeightsFor(config);
    try {
      await runPhase(
        headPhase({
          head,
          train: { features, labels, dim },
          val: { features: features.subarray(0, 64 * dim), labels: labels.subarray(0, 64), dim },
          numClasses: CLASSES,
          config,
          best,
          signal,
        }),
      );
    } finally {
      best.dispose();
    }
    throwIfCancelled(signal);
    await recordSpeed(baseId, 'headRows', rows / ((performance.now() - started) / 1000), 'probe', file);

    if (withFineTune && base.info.fineTunable) {
      report(3, 'fine-tune');
      await probeFineTune(baseId, base, head, models, config, signal, file);
    }
    report(total, withFineTune ? 'fine-tune' : 'head');
    return (await readSpeeds(file)).speeds[baseId] ?? {};
  } finally {
    disposeModels(models);
  }
}

/** One epoch of the real fine-tune phase (top 2 blocks) on 16 generated image files, validated on 4. */
async function probeFineTune(
  baseId: string,
  base: Awaited<ReturnType<typeof loadBase>>,
  head: tf.Sequential,
  models: tf.LayersModel[],
  config: ReturnType<typeof resolveConfig>,
  signal: AbortSignal,
  file: string,
): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ts-speed-probe-'));
  try {
    const side = base.info.inputSize;
    const images: LabelledImage[] = [];
    for (let i = 0; i < 20; i++) {
      const pixels = generatedImage(side).map((v, j) => (j % 3 === i % 3 ? 255 - v : v));
      const name = path.join(dir, `probe-${i}.png`);
      await sharp(Buffer.from(pixels), { raw: { width: side, height: side, channels: 3 } })
        .png()
        .toFile(name);
      images.push({ path: name, hash: `probe-${i}`, label: i % CLASSES });
    }
    const full = assembleModel(base.model, head);
    models.push(full);
    const ftConfig = { ...config, batchSize: 8 };
    const setup = prepareFineTune(full, ftConfig);
    if (setup.suffix !== full) models.push(setup.suffix);
    if (setup.prefix) models.push(setup.prefix);
    const train = images.slice(0, 16);
    const started = performance.now();
    const best = bestWeightsFor(ftConfig);
    try {
      await runPhase(
        fineTunePhase({
          setup,
          config: ftConfig,
          train,
          validation: images.slice(16),
          batches: { info: base.info, numClasses: CLASSES, preprocess: resolvePreprocessOptions({ size: side }) },
          initialEpoch: 0,
          best,
          signal,
        }),
      );
    } finally {
      best.dispose();
    }
    throwIfCancelled(signal);
    await recordSpeed(baseId, 'fineTune', train.length / ((performance.now() - started) / 1000), 'probe', file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
