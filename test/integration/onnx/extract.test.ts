/**
 * ORT feature extraction on the real bundled bases and real images: features equal tfjs's within
 * 1e-3, interchangeable in the feature cache, the converted base cached on disk by weights hash, and
 * a base with an unsupported layer falling back to tfjs with the layer named.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { preprocessImage, resolvePreprocessOptions } from '../../../main/engine/data/preprocess';
import { sha256File } from '../../../main/engine/data/hash';
import { loadBase } from '../../../main/engine/models/bases/registry';
import { convertedModel } from '../../../main/engine/onnx/base-cache';
import { createExtractor } from '../../../main/engine/onnx/extractor';
import { backendReady } from '../../../main/engine/runtime';
import { extractFeatureSet } from '../../../main/engine/training/extract';
import { FeatureCache } from '../../../main/engine/training/features-cache';

let tmp = '';
let images: string[] = [];

beforeAll(async () => {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  expect((await backendReady()).name).toBe('wasm');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'onnx-extract-'));
  const root = await fashionMnistFolders({ perClass: 3, classes: ['Sneaker', 'Bag'], offset: 50 });
  for (const cls of ['Sneaker', 'Bag'])
    for (const f of (await readdir(path.join(root, cls))).sort()) images.push(path.join(root, cls, f));
  images = images.slice(0, 6);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function pixelsOf(files: string[], side: number): Promise<Uint8Array> {
  const out = new Uint8Array(files.length * side * side * 3);
  for (let i = 0; i < files.length; i++)
    out.set((await preprocessImage(files[i]!, { size: side })).data, i * side * side * 3);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe.each([
  { id: 'nsfwjs-mobilenet-v2', count: 6 },
  { id: 'nsfwjs-inception-v3', count: 2 }, // slow on tfjs wasm: a couple of images
])('$id', ({ id, count }) => {
  it('ORT features equal tfjs features within 1e-3 on real images, and tensors are freed', async () => {
    const base = await loadBase(id);
    const baseline = tf.memory().numTensors;
    const ort = await createExtractor(base.model, base.info, { engine: 'onnxruntime', cacheDir: tmp });
    const tfjs = await createExtractor(base.model, base.info, { engine: 'tfjs' });
    expect([ort.engine, ort.provider, tfjs.engine]).toEqual(['onnxruntime', 'cpu', 'tfjs']);
    const pixels = await pixelsOf(images.slice(0, count), base.info.inputSize);
    const a = await ort.run(pixels, count);
    const b = await tfjs.run(pixels, count);
    expect(a.length).toBe(count * base.info.featureSize);
    const diff = maxAbsDiff(a, b);
    console.log(`${id}: max |ORT − tfjs| over ${count} images = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-3);
    expect(tf.memory().numTensors).toBe(baseline);
    await ort.dispose();
    base.model.dispose();
  });
});

describe('extraction seam', () => {
  it('caches the converted base by weights hash, and ORT/tfjs rows share one cache key', async () => {
    const base = await loadBase('nsfwjs-mobilenet-v2');
    const first = await convertedModel(base.model, { cacheDir: tmp });
    const second = await convertedModel(base.model, { cacheDir: tmp });
    expect([first.file, second.cached]).toEqual([second.file, true]);

    const labelled = await Promise.all(
      images.map(async (p, i) => ({ path: p, hash: await sha256File(p), label: i < 3 ? 0 : 1 })),
    );
    const preprocess = resolvePreprocessOptions({ size: 224 });
    const run = async (engine: 'onnxruntime' | 'tfjs', cache: FeatureCache) => {
      const extractor = await createExtractor(base.model, base.info, { engine, cacheDir: tmp });
      const seen: string[] = [];
      const set = await extractFeatureSet({
        base,
        images: labelled,
        seed: 1,
        preprocess,
        cache,
        extractor,
        batchSize: 4,
        signal: new AbortController().signal,
        onExtractor: (c) => seen.push(c.engine),
      });
      return { ...set, seen };
    };
    const ortCache = new FeatureCache(path.join(tmp, 'f-ort'), 1280);
    const viaOrt = await run('onnxruntime', ortCache);
    const viaTfjs = await run('tfjs', new FeatureCache(path.join(tmp, 'f-tfjs'), 1280));
    expect([viaOrt.seen, viaTfjs.seen]).toEqual([['onnxruntime'], ['tfjs']]);
    expect(maxAbsDiff(viaOrt.features, viaTfjs.features)).toBeLessThanOrEqual(1e-3);
    // The tfjs extractor reading the ORT cache finds every row: same keys.
    const reread = await run('tfjs', ortCache);
    expect(ortCache.hits).toBe(images.length);
    expect(reread.seen).toEqual([]); // nothing to compute: no engine chosen
    expect(reread.features).toEqual(viaOrt.features);
    base.model.dispose();
  });

  it('falls back to tfjs naming the layer that cannot be converted; engine "onnxruntime" fails instead', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const up = tf.layers.upSampling2d({ size: [2, 2], name: 'grow' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.globalAveragePooling2d({}).apply(up) as tf.SymbolicTensor,
    });
    const info = { inputSize: 8, scaling: 'x/255' as const };
    const auto = await createExtractor(model, info, { engine: 'auto', cacheDir: tmp });
    expect(auto.engine).toBe('tfjs');
    expect(auto.reason).toMatch(/layer "grow" \(UpSampling2D\)/);
    expect((await auto.run(new Uint8Array(8 * 8 * 3).fill(255), 1)).length).toBe(3);
    await expect(createExtractor(model, info, { engine: 'onnxruntime', cacheDir: tmp })).rejects.toThrow(
      /UpSampling2D/,
    );
    model.dispose();
  });
});
