/**
 * The overlapped extraction pipeline (decode → batch buffers → `depth` batches in the ORT worker → features in row
 * order → cache) on real JPEGs and the bundled MobileNetV2: the same features as the plain serial path (decode each
 * image, scale on this thread, one in-thread ORT session) within 1e-6, right rows when batches finish out of order,
 * and a cancel that returns only once nothing is left running or writing.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeClass } from '../../fixtures/generated';
import { augment, augmentSeed } from '../../../main/engine/data/augment';
import { sha256File } from '../../../main/engine/data/hash';
import { preprocessImage, resolvePreprocessOptions } from '../../../main/engine/data/preprocess';
import { loadBase, type LoadedBase } from '../../../main/engine/models/bases/registry';
import { convertedModel } from '../../../main/engine/onnx/base-cache';
import { createExtractor, scaleToFloat, type FeatureExtractor } from '../../../main/engine/onnx/extractor';
import { createOrtSession } from '../../../main/engine/onnx/session';
import { backendReady } from '../../../main/engine/runtime';
import { extractFeatureSet, type LabelledImage } from '../../../main/engine/training/extract';
import { FeatureCache } from '../../../main/engine/training/features-cache';

const BATCH = 4;
const AUGMENT = { flip: true, rotation: 10 };
let tmp = '';
let base: LoadedBase;
let images: LabelledImage[] = [];
let reference: Float32Array;
let ort: FeatureExtractor;

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  expect((await backendReady()).name).toBe('wasm');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'extract-pipeline-'));
  const files = await writeClass(path.join(tmp, 'images'), 9, { seed: 7, ext: 'jpg', size: 96 });
  images = await Promise.all(files.map(async (p, i) => ({ path: p, hash: await sha256File(p), label: i % 2 })));
  base = await loadBase('nsfwjs-mobilenet-v2');
  ort = await createExtractor(base.model, base.info, { engine: 'onnxruntime', cacheDir: tmp });

  // The plain path: each image decoded alone, rows (image, variant 0 then 1) scaled here, run batch by batch.
  const side = base.info.inputSize;
  const rows: Uint8Array[] = [];
  for (const image of images) {
    const decoded = await preprocessImage(image.path, { size: side });
    rows.push(decoded.data, augment(decoded, AUGMENT, augmentSeed(image.hash, 1, 3)).data);
  }
  const { bytes } = await convertedModel(base.model, { cacheDir: tmp });
  const made = await createOrtSession(bytes);
  reference = new Float32Array(rows.length * base.info.featureSize);
  for (let start = 0; start < rows.length; start += BATCH) {
    const chunk = rows.slice(start, start + BATCH);
    const pixels = new Uint8Array(chunk.length * side * side * 3);
    chunk.forEach((r, j) => pixels.set(r, j * side * side * 3));
    const input = new made.ort.Tensor('float32', scaleToFloat(pixels, base.info.scaling), [
      chunk.length,
      side,
      side,
      3,
    ]);
    const out = await made.session.run({ [made.session.inputNames[0]!]: input });
    reference.set(out[made.session.outputNames[0]!]!.data as Float32Array, start * base.info.featureSize);
  }
  await made.session.release();
}, 120_000);

afterAll(async () => {
  await ort?.dispose();
  base?.model.dispose();
  await rm(tmp, { recursive: true, force: true });
});

const extract = (
  extractor: FeatureExtractor,
  cacheDir: string,
  more: Partial<Parameters<typeof extractFeatureSet>[0]>,
) =>
  extractFeatureSet({
    base,
    images,
    variants: 1,
    augment: AUGMENT,
    seed: 3,
    preprocess: resolvePreprocessOptions({ size: base.info.inputSize }),
    cache: new FeatureCache(path.join(tmp, cacheDir), base.info.featureSize),
    extractor,
    batchSize: BATCH,
    signal: new AbortController().signal,
    ...more,
  });

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('overlapped ORT extraction', () => {
  it('gives the plain serial path’s features (≤ 1e-6) and creates no tensors', async () => {
    const baseline = tf.memory().numTensors;
    const progress: number[] = [];
    const set = await extract(ort, 'f-plain', { onProgress: (done) => progress.push(done) });
    expect(set.labels.length).toBe(18);
    expect(maxAbsDiff(set.features, reference)).toBeLessThanOrEqual(1e-6);
    expect(progress).toEqual([0, 4, 8, 12, 16, 18]);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('puts every row in its place when batches finish out of order (depth 3)', async () => {
    let call = 0;
    const shuffled: FeatureExtractor = {
      ...ort,
      async run(pixels, n, transfer) {
        const delay = [60, 5, 30, 0, 45][call++ % 5]!; // later batches often finish first
        const values = await ort.run(pixels, n, transfer);
        await new Promise((resolve) => setTimeout(resolve, delay));
        return values;
      },
    };
    const set = await extract(shuffled, 'f-shuffled', { depth: 3 });
    expect(call).toBe(5);
    expect(maxAbsDiff(set.features, reference)).toBeLessThanOrEqual(1e-6);
  });

  it('on cancel, rejects only after every started batch has finished and been written; nothing runs later', async () => {
    const controller = new AbortController();
    let running = 0;
    let runs = 0;
    const tracked: FeatureExtractor = {
      ...ort,
      async run(pixels, n, transfer) {
        runs++;
        running++;
        try {
          return await ort.run(pixels, n, transfer);
        } finally {
          running--;
        }
      },
    };
    const cacheDir = path.join(tmp, 'f-cancelled');
    const attempt = extract(tracked, 'f-cancelled', {
      signal: controller.signal,
      onProgress: (done) => done > 0 && controller.abort(),
    });
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(running).toBe(0);
    expect(runs).toBeLessThan(5);
    const count = async () => (await readdir(cacheDir, { recursive: true })).filter((f) => f.endsWith('.f32')).length;
    const written = await count();
    expect(written).toBe(runs * BATCH); // every started batch was written, no more
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([runs, await count()]).toEqual([runs, written]);
  });

  it('fails with a cache write error once every started batch and write has settled', async () => {
    let writing = 0;
    class FullDisk extends FeatureCache {
      override async write(): Promise<void> {
        writing++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        writing--;
        throw new Error('ENOSPC: no space left on device');
      }
    }
    await expect(
      extract(ort, 'f-full', { cache: new FullDisk(path.join(tmp, 'f-full'), base.info.featureSize) }),
    ).rejects.toThrow(/ENOSPC/);
    expect(writing).toBe(0);
  });
});
