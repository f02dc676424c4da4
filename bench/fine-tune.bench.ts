/**
 * `npm run bench -- fine-tune [--json]` (format: DESIGN.md §9): one fine-tune epoch of the bundled MobileNetV2 (top 2
 * blocks unfrozen, batch 32) on real Fashion-MNIST images (test/fixtures/fashion-mnist.ts: 40 per class, 400 training
 * and 40 validation images) on wasm, two ways in the same run on the same model:
 * - streaming (the path before the activation store): every image read from the pixel cache (warmed first, as phase 1
 *   of a run warms it) and run through the frozen
 *   prefix on tfjs every epoch — `streamingImagesPerSecond`;
 * - stored (prefix-activations.ts): `storeFirstEpochImagesPerSecond` includes the one-off step (the prefix on the
 *   engine's extractor, ONNX Runtime here, for the training and validation images; converting the prefix included),
 *   `storeEpochImagesPerSecond` is a later epoch that only reads; `prefixStepImagesPerSecond` is the one-off step alone.
 * Images/s count training images per epoch (validation included in the epoch's time, both ways).
 * Ratios (> 1 is better): storeEpochVsStreaming, storeFirstEpochVsStreaming.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { printReport } from './report';
import { fashionMnistFolders } from '../test/fixtures/fashion-mnist';
import { CacheStore } from '../main/engine/data/cache';
import { sha256File } from '../main/engine/data/hash';
import { preprocessStream } from '../main/engine/data/pipeline';
import { resolvePreprocessOptions } from '../main/engine/data/preprocess';
import { assembleModel } from '../main/engine/models/assemble';
import { DEFAULT_BASE_ID } from '../main/engine/models/bases/bundled';
import { loadBase } from '../main/engine/models/bases/registry';
import { backendReady } from '../main/engine/runtime';
import { resolveConfig } from '../main/engine/training/config';
import type { LabelledImage } from '../main/engine/training/extract';
import { fineTunePhase, prepareFineTune } from '../main/engine/training/fine-tune-phase';
import { buildSeededHead } from '../main/engine/training/head';
import { bestWeightsFor, runPhase } from '../main/engine/training/phase-runner';
import { PrefixActivations } from '../main/engine/training/prefix-activations';

const PER_CLASS = 40;
const VAL_PER_CLASS = 4;
const never = new AbortController().signal;

/** Seconds of each epoch, from onEpochBegin to onEpochEnd (validation included). */
class EpochTimer extends tf.Callback {
  seconds: number[] = [];
  private started = 0;
  override async onEpochBegin(): Promise<void> {
    this.started = performance.now();
  }
  override async onEpochEnd(): Promise<void> {
    this.seconds.push((performance.now() - this.started) / 1000);
  }
}

async function labelled(dir: string): Promise<LabelledImage[]> {
  const classes = (await readdir(dir)).filter((c) => !c.startsWith('.')).sort();
  const out: LabelledImage[] = [];
  for (const [label, name] of classes.entries()) {
    for (const file of (await readdir(path.join(dir, name))).sort()) {
      const p = path.join(dir, name, file);
      out.push({ path: p, hash: await sha256File(p), label });
    }
  }
  return out;
}

process.env.TRANSFER_STUDIO_BACKEND ??= 'wasm';
const backend = (await backendReady()).name;
const tmp = await mkdtemp(path.join(os.tmpdir(), 'fine-tune-bench-'));
try {
  const train = await labelled(await fashionMnistFolders({ perClass: PER_CLASS }));
  const validation = await labelled(await fashionMnistFolders({ perClass: VAL_PER_CLASS, offset: 1000 }));
  const base = await loadBase(DEFAULT_BASE_ID);
  const config = resolveConfig({ seed: 3, fineTune: { top: 2, epochs: 2, learningRate: 1e-4 } });
  const head = buildSeededHead(undefined, base.info.featureShape, 10, config.seed);
  const full = assembleModel(base.model, head);
  const setup = prepareFineTune(full, config);
  const pixelCache = new CacheStore(path.join(tmp, 'cache'));
  const preprocess = resolvePreprocessOptions({ size: base.info.inputSize });
  const batches = { info: base.info, numClasses: 10, preprocess, pixelCache };

  const epochs = async (n: number, activations?: PrefixActivations): Promise<number[]> => {
    const timer = new EpochTimer();
    const phase = fineTunePhase({
      setup,
      config,
      train,
      validation,
      batches,
      initialEpoch: 0,
      best: bestWeightsFor(config),
      ...(activations ? { activations } : {}),
      callbacks: [timer],
      signal: never,
    });
    await runPhase({ ...phase, epochs: n });
    phase.best.dispose();
    return timer.seconds;
  };

  // Warm the pixel cache as phase 1 of a run does (both ways then decode nothing).
  for await (const item of preprocessStream([...train, ...validation], preprocess, { cache: pixelCache })) {
    if (!item.ok) throw new Error(item.error.message);
  }
  const [streaming] = await epochs(1);
  const store = new PrefixActivations({
    prefix: setup.prefix!,
    info: base.info,
    preprocess,
    pixelCache,
    seed: config.seed,
    cacheRoot: path.join(tmp, 'cache'),
    signal: never,
  });
  const [first, later] = await epochs(2, store);
  const prefixSeconds = store.computeSeconds;
  await store.close();
  const rate = (seconds: number) => train.length / seconds;
  printReport({
    bench: 'fine-tune',
    backend,
    units: {
      streamingImagesPerSecond: 'img/s',
      storeFirstEpochImagesPerSecond: 'img/s',
      storeEpochImagesPerSecond: 'img/s',
      prefixStepImagesPerSecond: 'img/s',
      prefixStepSeconds: 's',
    },
    results: {
      streamingImagesPerSecond: rate(streaming!),
      storeFirstEpochImagesPerSecond: rate(first!),
      storeEpochImagesPerSecond: rate(later!),
      prefixStepImagesPerSecond: (train.length + validation.length) / prefixSeconds,
      prefixStepSeconds: prefixSeconds,
    },
    ratios: {
      storeEpochVsStreaming: streaming! / later!,
      storeFirstEpochVsStreaming: streaming! / first!,
    },
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
