/**
 * Phase 1's forward pass: features of every (image, variant) row from the frozen base in
 * inference mode, read from the feature cache when present, computed in batches otherwise.
 */
import pLimit from 'p-limit';
import type { AugmentOptionsInput } from '../../../shared/contract/data';
import { throwIfCancelled } from '../cancel';
import { augment, augmentSeed } from '../data/augment';
import type { CacheStore } from '../data/cache';
import { preprocessStream } from '../data/pipeline';
import type { ResolvedPreprocessOptions } from '../data/preprocess';
import type { LoadedBase } from '../models/bases/registry';
import { extractorFor, type ExtractorChoice, type FeatureExtractor } from '../onnx/extractor';
import { OrderedWindow } from '../onnx/ordered-window';
import type { FeatureCache } from './features-cache';
import type { FeatureSet } from './head-phase';

/** Feature-cache files written at once during extraction. */
const CACHE_WRITERS = 2;

/** One labelled image. */
export interface LabelledImage {
  path: string;
  /** sha256 of the file bytes (from the scan). */
  hash: string;
  label: number;
}

/** Options of {@link extractFeatureSet}. */
export interface ExtractSetOptions {
  base: LoadedBase;
  images: readonly LabelledImage[];
  /** Augmented variants per image besides the original (rows = images × (1 + variants)). Default: 0. */
  variants?: number;
  augment?: AugmentOptionsInput;
  /** Seed of the augmentation draws. */
  seed: number;
  preprocess: ResolvedPreprocessOptions;
  cache: FeatureCache;
  /** Preprocessed-pixel cache of the data pipeline. Default: none. */
  pixelCache?: CacheStore;
  /** Images per forward pass. Default: 16. */
  batchSize?: number;
  /** Batches handed to the extractor at once while the next is decoded. Default: its `parallel` + 1. */
  depth?: number;
  /** Images decoded at once. Default: `defaultConcurrency()` of the data pipeline (cores + 2). */
  decoders?: number;
  signal: AbortSignal;
  /** Rows done / total, after each batch. Default: none. */
  onProgress?: (done: number, total: number, computed: number) => void;
  /** Runs the base: ONNX Runtime or tfjs. Default: `extractorFor(base)` (made only when a row is missing). */
  extractor?: FeatureExtractor;
  /** Told which engine computes the missing rows, and why, before the first batch. Default: none. */
  onExtractor?: (choice: ExtractorChoice) => void;
}

/**
 * Features of `images` (and their augmented variants) through the frozen base. Rows are ordered
 * image by image, variant 0 first. Reuses cached rows; computes and caches the rest. An image that
 * cannot be decoded now (deleted or changed since the scan) is left out, its rows removed, and listed in
 * `skipped`; the run carries on.
 */
export async function extractFeatureSet(options: ExtractSetOptions): Promise<FeatureSet> {
  const { base, images, cache, preprocess, signal } = options;
  const variants = options.variants ?? 0;
  const perImage = variants + 1;
  const dim = base.info.featureSize;
  const total = images.length * perImage;
  const features = new Float32Array(total * dim);
  const labels = new Int32Array(total);
  const keyOf = (image: LabelledImage, variant: number) =>
    cache.key(image.hash, {
      base: base.info.id,
      preprocess,
      variant,
      augment: { options: options.augment ?? {}, seed: options.seed },
    });

  // 1. Cache look-ups; collect the rows still missing, grouped by image (one decode per image).
  const missing = new Map<number, number[]>();
  let done = 0;
  for (let i = 0; i < images.length; i++) {
    throwIfCancelled(signal);
    for (let v = 0; v < perImage; v++) {
      const row = i * perImage + v;
      labels[row] = images[i]!.label;
      if (!(await cache.read(keyOf(images[i]!, v), features, row * dim))) {
        const list = missing.get(i) ?? [];
        list.push(v);
        missing.set(i, list);
      } else done++;
    }
  }
  options.onProgress?.(done, total, 0);
  if (missing.size === 0) return { features, labels, dim };

  // 2. Decode the missing images (bounded concurrency, in order) straight into batch buffers, and keep `depth`
  //    batches in the extractor (one more than it runs at once) while the next one is decoded (a bounded window,
  //    consumed in order). Each batch's features
  //    are stored in row order as it completes. Its cache files are written behind, at most CACHE_WRITERS at once:
  //    a durable write waits on fsync in one of libuv's threads, which sharp decodes on, and must not hold up the
  //    window.
  const extractor = options.extractor ?? (await extractorFor(base));
  const { engine, provider, threads, reason } = extractor;
  options.onExtractor?.({
    engine,
    ...(provider ? { provider } : {}),
    ...(threads ? { threads } : {}),
    ...(reason ? { reason } : {}),
  });
  const batchSize = options.batchSize ?? 16;
  const bytesPerImage = base.info.inputSize ** 2 * 3;
  type Batch = { rows: { row: number; key: string }[]; pixels: Uint8Array };
  const newBatch = (): Batch => ({ rows: [], pixels: new Uint8Array(batchSize * bytesPerImage) });
  let computed = 0;
  const writeSlot = pLimit(CACHE_WRITERS);
  const writes: Promise<void>[] = [];
  let writeError: { error: unknown } | undefined;
  const window = new OrderedWindow<{ batch: Batch; values: Float32Array }>(
    ({ batch, values }) => {
      if (writeError) throw writeError.error;
      for (let j = 0; j < batch.rows.length; j++) {
        const row = values.subarray(j * dim, (j + 1) * dim);
        const { row: at, key } = batch.rows[j]!;
        features.set(row, at * dim);
        writes.push(writeSlot(() => cache.write(key, row)).catch((error: unknown) => void (writeError ??= { error })));
      }
      done += batch.rows.length;
      computed += batch.rows.length;
      options.onProgress?.(done, total, computed);
    },
    options.depth ?? (extractor.parallel ?? 1) + 1,
  );
  const submit = async (batch: Batch) => {
    throwIfCancelled(signal);
    const n = batch.rows.length;
    const pixels = n === batchSize ? batch.pixels : batch.pixels.slice(0, n * bytesPerImage);
    await window.push(async () => ({ batch, values: await extractor.run(pixels, n, true) }));
  };
  const todo = [...missing.keys()].map((i) => ({ path: images[i]!.path, hash: images[i]!.hash, index: i }));
  const skipped: SkippedRows[] = [];
  let batch = newBatch();
  try {
    for await (const item of preprocessStream(todo, preprocess, {
      signal,
      ...(options.decoders ? { concurrency: options.decoders } : {}),
      ...(options.pixelCache ? { cache: options.pixelCache } : {}),
    })) {
      if (!item.ok) {
        skipped.push({ index: item.item.index, message: item.error.message });
        continue;
      }
      const image = images[item.item.index]!;
      for (const v of missing.get(item.item.index)!) {
        const pixels =
          v === 0 ? item.data : augment(item, options.augment ?? {}, augmentSeed(image.hash, v, options.seed)).data;
        batch.pixels.set(pixels, batch.rows.length * bytesPerImage);
        batch.rows.push({ row: item.item.index * perImage + v, key: keyOf(image, v) });
        if (batch.rows.length === batchSize) {
          await submit(batch);
          batch = newBatch();
        }
      }
    }
    if (batch.rows.length > 0) await submit(batch);
    await window.drain();
    await Promise.all(writes);
    if (writeError) throw writeError.error;
  } finally {
    // On cancel or error too: nothing keeps running or writing after we return.
    await window.settle();
    await Promise.all(writes);
  }
  if (skipped.length === 0) return { features, labels, dim };
  return withoutImages({ features, labels, dim }, perImage, images, skipped);
}

interface SkippedRows {
  index: number;
  message: string;
}

/** The feature set without the rows of the skipped images, which are listed in `skipped`. */
function withoutImages(
  set: FeatureSet,
  perImage: number,
  images: readonly LabelledImage[],
  skipped: SkippedRows[],
): FeatureSet {
  const gone = new Set(skipped.map((s) => s.index));
  const rows = images.length * perImage - gone.size * perImage;
  const features = new Float32Array(rows * set.dim);
  const labels = new Int32Array(rows);
  let row = 0;
  for (let i = 0; i < images.length; i++) {
    if (gone.has(i)) continue;
    for (let v = 0; v < perImage; v++, row++) {
      const from = i * perImage + v;
      features.set(set.features.subarray(from * set.dim, (from + 1) * set.dim), row * set.dim);
      labels[row] = set.labels[from]!;
    }
  }
  return {
    features,
    labels,
    dim: set.dim,
    skipped: skipped.map((s) => ({ image: images[s.index]!, message: s.message })),
  };
}
