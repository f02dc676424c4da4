/**
 * `npm run bench -- extract [--json] [--images N] [--tfjs-images N]` (format: DESIGN.md §9).
 * 2,000 JPEG files on disk (made here with sharp, in a temp folder) → decode → resize → scale → bundled
 * MobileNetV2 → features written to a fresh feature cache, through `extractFeatureSet` (phase 1's code):
 * - ortPipeline: with the ONNX Runtime extractor as a user gets it (CPU provider; on 2 cores two one-thread sessions
 *   side by side, not spinning; batch 16).
 * - tfjsPipeline: the same with the tfjs extractor, on the first 100 images (tfjs wasm runs ~20 img/s).
 * - bareSession: one ORT session (same model, intra-op threads = cores, ORT's default spinning) on in-memory scaled
 *   tensors, batch 16 (no decoding, no cache writes), measured before and after the pipelines and averaged.
 * - bareTwoSessions: the pipeline's arrangement (two one-thread sessions in workers, side by side) on in-memory
 *   tensors, after the pipelines: a second, stronger baseline (ratio ortPipelineVsBareTwoSessions).
 * - convertSeconds: converting the base to ONNX (empty cache); sessionSeconds: creating the session.
 * Where the time goes, as core-milliseconds per image (CPU time of every thread of this process, so other programs on
 * the machine do not count): decodeCoreMs (preprocessStream alone: read, decode, resize), ortCoreMs (bareTwoSessions:
 * ORT's work as the pipeline arranges it, without busy-waiting), cacheWriteCoreMs (FeatureCache.write of one row),
 * bareCoreMs (the bare session as measured, spinning included), pipelineCoreMs (the ORT pipeline, everything included).
 * - bound: the most the pipeline can do when decoding, ORT and the cache writes share the cores, cores × 1000 /
 *   (decodeCoreMs + ortCoreMs + cacheWriteCoreMs), img/s.
 * Ratios: ortPipelineVsBareSession (target ≥ 0.9: decoding hidden behind inference), ortVsTfjs, boundVsBareSession
 * (the best ortPipelineVsBareSession the cores allow), ortPipelineVsBound.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { printReport } from './report';
import { useWasmBackend } from '../main/engine/training/wasm-setup';
import { sha256File } from '../main/engine/data/hash';
import { preprocessStream } from '../main/engine/data/pipeline';
import { resolvePreprocessOptions } from '../main/engine/data/preprocess';
import { loadBase } from '../main/engine/models/bases/registry';
import { DEFAULT_BASE_ID } from '../main/engine/models/bases/bundled';
import { convertedModel } from '../main/engine/onnx/base-cache';
import { createExtractor, scaleToFloat, type FeatureExtractor } from '../main/engine/onnx/extractor';
import { OrderedWindow } from '../main/engine/onnx/ordered-window';
import { createOrtSession } from '../main/engine/onnx/session';
import { WorkerSession } from '../main/engine/onnx/worker-session';
import { createRandom } from '../main/engine/training/seed';
import { extractFeatureSet, type LabelledImage } from '../main/engine/training/extract';
import { FeatureCache } from '../main/engine/training/features-cache';

const never = new AbortController().signal;
const BATCH = 16;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** `count` photo-like JPEGs (smooth random colour fields, 320×240) in `dir`. */
async function makeImages(dir: string, count: number): Promise<LabelledImage[]> {
  await mkdir(dir, { recursive: true });
  const random = createRandom(11);
  const images: LabelledImage[] = [];
  for (let i = 0; i < count; i++) {
    const small = Buffer.alloc(16 * 12 * 3);
    for (let p = 0; p < small.length; p++) small[p] = Math.floor(random() * 256);
    const file = path.join(dir, `img${String(i).padStart(5, '0')}.jpg`);
    await sharp(small, { raw: { width: 16, height: 12, channels: 3 } })
      .resize(320, 240)
      .jpeg({ quality: 85 })
      .toFile(file);
    images.push({ path: file, hash: await sha256File(file), label: i % 10 });
  }
  return images;
}

/** Core-milliseconds (all threads of this process) since `since`. */
function coreMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Runs `work` on `count` images: img/s and core-ms per image. */
async function timed(count: number, work: () => Promise<unknown>): Promise<{ rate: number; coreMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  return { rate: count / ((performance.now() - start) / 1000), coreMs: coreMs(cpu) / count };
}

function pipeline(
  extractor: FeatureExtractor,
  images: LabelledImage[],
  cacheDir: string,
  base: Awaited<ReturnType<typeof loadBase>>,
): Promise<{ rate: number; coreMs: number }> {
  const cache = new FeatureCache(cacheDir, base.info.featureSize);
  const preprocess = resolvePreprocessOptions({ size: base.info.inputSize });
  return timed(images.length, () =>
    extractFeatureSet({ base, images, seed: 1, preprocess, cache, extractor, batchSize: BATCH, signal: never }),
  );
}

/** FeatureCache.write alone, one row after another: core-ms per row. */
async function cacheWriteCost(dir: string, dim: number, rows: number): Promise<number> {
  const cache = new FeatureCache(dir, dim);
  const row = new Float32Array(dim).fill(0.5);
  const { coreMs: perRow } = await timed(rows, async () => {
    for (let i = 0; i < rows; i++)
      await cache.write(cache.key(String(i), { base: 'bench', preprocess: {}, variant: 0 }), row);
  });
  return perRow;
}

/** Decoding alone, as the pipeline does it (preprocessStream, default window): core-ms per image. */
async function decodeCost(images: LabelledImage[], size: number): Promise<number> {
  const { coreMs: perImage } = await timed(images.length, async () => {
    for await (const item of preprocessStream(images, { size })) if (!item.ok) throw item.error;
  });
  return perImage;
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-extract-'));
try {
  await useWasmBackend();
  const count = option('--images', 2000);
  const tfjsCount = option('--tfjs-images', 100);
  const images = await makeImages(path.join(tmp, 'images'), count);
  const base = await loadBase(DEFAULT_BASE_ID);

  let start = performance.now();
  const { bytes } = await convertedModel(base.model, { cacheDir: tmp });
  const convertSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const made = await createOrtSession(bytes);
  const sessionSeconds = (performance.now() - start) / 1000;
  const ort = await createExtractor(base.model, base.info, { engine: 'onnxruntime', cacheDir: tmp });
  const tfjs = await createExtractor(base.model, base.info, { engine: 'tfjs' });

  // Bare session: in-memory scaled tensors, batch 16, the same number of images (one warm-up batch first).
  // Measured before and after the pipeline and averaged: the machine is shared, load drifts.
  const random = createRandom(5);
  const pixels = Uint8Array.from({ length: BATCH * 224 * 224 * 3 }, () => Math.floor(random() * 256));
  const input = new made.ort.Tensor('float32', scaleToFloat(pixels, base.info.scaling), [BATCH, 224, 224, 3]);
  await made.session.run({ input });
  const batches = Math.ceil(count / BATCH);
  const bare = (session: typeof made.session, n = batches) =>
    timed(n * BATCH, async () => {
      for (let b = 0; b < n; b++) await session.run({ input });
    });
  const bareBefore = await bare(made.session);

  await ort.run(pixels, BATCH); // warm-up, as for the bare session
  const ortRun = await pipeline(ort, images, path.join(tmp, 'features-ort'), base);
  const tfjsRun = await pipeline(tfjs, images.slice(0, tfjsCount), path.join(tmp, 'features-tfjs'), base);
  await ort.dispose();
  const bareAfter = await bare(made.session);
  const bareSession = (bareBefore.rate + bareAfter.rate) / 2;
  const bareCoreMs = (bareBefore.coreMs + bareAfter.coreMs) / 2;
  // The pipeline's own arrangement on in-memory tensors: two one-thread sessions side by side (3 batches in hand).
  const pair = await WorkerSession.create(bytes, { threads: 1, workers: 2, spinning: false });
  const floats = scaleToFloat(pixels, base.info.scaling);
  await Promise.all([
    pair.run(floats.slice(), input.dims as number[]),
    pair.run(floats.slice(), input.dims as number[]),
  ]);
  const bareTwo = await timed(batches * BATCH, async () => {
    const window = new OrderedWindow<Float32Array>(() => undefined, 3);
    for (let b = 0; b < batches; b++) await window.push(() => pair.run(floats.slice(), input.dims as number[]));
    await window.drain();
  });
  await pair.release();
  const ortCoreMs = bareTwo.coreMs;
  const decodeCoreMs = await decodeCost(images.slice(0, Math.min(count, 400)), base.info.inputSize);
  const cacheWriteCoreMs = await cacheWriteCost(path.join(tmp, 'features-writes'), base.info.featureSize, 200);
  const bound = (os.availableParallelism() * 1000) / (decodeCoreMs + ortCoreMs + cacheWriteCoreMs);
  await made.session.release();
  const ortPipeline = ortRun.rate;
  const tfjsPipeline = tfjsRun.rate;

  printReport({
    bench: 'extract',
    backend: `${tf.getBackend()} + onnxruntime-node ${made.ort.env.versions.node ?? ''} (${ort.provider}, ${ort.parallel ?? 1} sessions × ${(ort.threads ?? 0) / (ort.parallel ?? 1)} threads)`,
    units: {
      ortPipeline: 'img/s',
      tfjsPipeline: 'img/s',
      bareSession: 'img/s',
      convertSeconds: 's',
      sessionSeconds: 's',
      decodeCoreMs: 'ms',
      ortCoreMs: 'ms',
      cacheWriteCoreMs: 'ms',
      bareTwoSessions: 'img/s',
      bareCoreMs: 'ms',
      pipelineCoreMs: 'ms',
      bound: 'img/s',
    },
    results: {
      ortPipeline,
      tfjsPipeline,
      bareSession,
      convertSeconds,
      sessionSeconds,
      decodeCoreMs,
      ortCoreMs,
      cacheWriteCoreMs,
      bareTwoSessions: bareTwo.rate,
      bareCoreMs,
      pipelineCoreMs: ortRun.coreMs,
      bound,
    },
    ratios: {
      ortPipelineVsBareSession: ortPipeline / bareSession,
      ortVsTfjs: ortPipeline / tfjsPipeline,
      boundVsBareSession: bound / bareSession,
      ortPipelineVsBound: ortPipeline / bound,
      ortPipelineVsBareTwoSessions: ortPipeline / bareTwo.rate,
    },
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
