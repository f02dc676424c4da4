/**
 * `npm run bench -- predict [--json]` (format: DESIGN.md §9). A run is trained first (bundled MobileNetV2, wasm,
 * 3 Fashion-MNIST classes × 20 images, 2 epochs), then on 150 other Fashion-MNIST images:
 * - predictImagesPerSecondBatch32 / predictImagesPerSecondBatch1: `prediction.predict` with batches of 32 vs 1
 *   (the model already loaded); ratio batch32VsBatch1.
 * - tryFirstMs: one image with the model not loaded yet (loads it); tryCachedMs: median of the next 10 single-image
 *   calls (the model kept loaded, as the Try panel does); ratio reloadVsCached = tryFirstMs / tryCachedMs.
 * - evaluateSeconds: `evaluation.evaluate` of the run's test split, model load included.
 * - predictImagesPerSecondOrt / predictImagesPerSecondTfjs: batch-32 `prediction.predict` with the whole model on
 *   ONNX Runtime vs on tfjs (TRANSFER_STUDIO_INFERENCE=onnxruntime / tfjs); ratio ortVsTfjs. The other figures
 *   use the engine's own choice (ORT when the model converts).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fashionMnistFolders } from '../test/fixtures/fashion-mnist';
import { trainRun } from '../main/engine/training/run';
import { backendReady } from '../main/engine/runtime';
import { predict } from '../main/engine/evaluate/predict';
import { predictionModels } from '../main/engine/evaluate/model-cache';
import { evaluateRun } from '../main/engine/evaluate/evaluate';
import { printReport } from './report';

const quiet = { signal: new AbortController().signal, progress: () => undefined };
const CLASSES = ['Trouser', 'Bag', 'Sneaker'];

async function main(): Promise<void> {
  process.env.TRANSFER_STUDIO_BACKEND ??= 'wasm';
  const backend = (await backendReady()).name;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-predict-'));
  try {
    const trainDir = await fashionMnistFolders({ perClass: 20, classes: CLASSES, offset: 700 });
    const run = await trainRun(
      {
        dirs: [trainDir],
        runDir: path.join(tmp, 'run'),
        cacheDir: path.join(tmp, 'cache'),
        split: { train: 0.6, validation: 0.2, test: 0.2, seed: 1 },
        config: { epochs: 2, seed: 1 },
      } as never,
      quiet,
    );
    const otherDir = await fashionMnistFolders({ perClass: 50, classes: CLASSES, offset: 800 });
    const images: string[] = [];
    for (const name of CLASSES) {
      for (const file of (await readdir(path.join(otherDir, name))).sort())
        images.push(path.join(otherDir, name, file));
    }
    const rate = async (batchSize: number) => {
      const result = await predict({ model: run.runDir, paths: images, top: 3, batchSize }, quiet);
      return result.imagesPerSecond;
    };
    await rate(32); // warm-up and load
    const batch32 = await rate(32);
    const batch1 = await rate(1);

    const onEngine = async (engine: 'onnxruntime' | 'tfjs') => {
      const before = process.env.TRANSFER_STUDIO_INFERENCE;
      process.env.TRANSFER_STUDIO_INFERENCE = engine;
      try {
        await predictionModels.clear();
        await rate(32); // load and warm up on this engine
        return await rate(32);
      } finally {
        if (before === undefined) delete process.env.TRANSFER_STUDIO_INFERENCE;
        else process.env.TRANSFER_STUDIO_INFERENCE = before;
        await predictionModels.clear();
      }
    };
    const ort = await onEngine('onnxruntime');
    const tfjs = await onEngine('tfjs');

    await predictionModels.clear();
    const single = async (file: string) => {
      const started = performance.now();
      await predict({ model: run.runDir, paths: [file], top: 3, batchSize: 32 }, quiet);
      return performance.now() - started;
    };
    const first = await single(images[0]!);
    const cached: number[] = [];
    for (const file of images.slice(1, 11)) cached.push(await single(file));
    cached.sort((a, b) => a - b);
    const median = (cached[4]! + cached[5]!) / 2;
    await predictionModels.clear();

    const evaluateStart = performance.now();
    const evaluation = await evaluateRun({ runDir: run.runDir, batchSize: 32 }, quiet);
    const evaluateSeconds = (performance.now() - evaluateStart) / 1000;

    printReport({
      bench: 'predict',
      backend,
      units: {
        predictImagesPerSecondBatch32: 'img/s',
        predictImagesPerSecondBatch1: 'img/s',
        tryFirstMs: 'ms',
        tryCachedMs: 'ms',
        evaluateSeconds: 's',
        predictImagesPerSecondOrt: 'img/s',
        predictImagesPerSecondTfjs: 'img/s',
      },
      results: {
        predictImagesPerSecondBatch32: batch32,
        predictImagesPerSecondBatch1: batch1,
        tryFirstMs: first,
        tryCachedMs: median,
        evaluateSeconds,
        evaluatedImages: evaluation.count,
        predictImagesPerSecondOrt: ort,
        predictImagesPerSecondTfjs: tfjs,
      },
      ratios: { batch32VsBatch1: batch32 / batch1, reloadVsCached: first / median, ortVsTfjs: ort / tfjs },
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
