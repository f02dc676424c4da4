/**
 * Pooled features of several layers of a base in one pass: a tfjs sub-model (input → the base's feature
 * concatenated after the global-average-pooled outputs of chosen inner layers), converted to ONNX with the product's
 * converter and run in ONNX Runtime (a worker). Rows are cached on disk, one file per (set, base, layers, variant),
 * with the seconds they took, so later experiments and later runs reuse them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { AugmentOptionsInput } from '../../shared/contract/data';
import { augment, augmentSeed } from '../../main/engine/data/augment';
import { sha256 } from '../../main/engine/data/hash';
import { preprocessStream } from '../../main/engine/data/pipeline';
import type { RgbImage } from '../../main/engine/data/preprocess';
import type { LoadedBase } from '../../main/engine/models/bases/registry';
import { convertToOnnx, encodeOnnx } from '../../main/engine/onnx/convert';
import { scaleToFloat } from '../../main/engine/onnx/extractor';
import { WorkerSession } from '../../main/engine/onnx/worker-session';
import type { BenchImage } from './images';

/** One slice of a feature row: which layer, where it starts, how wide. */
export interface FeaturePart {
  layer: string;
  offset: number;
  dim: number;
}

/** Feature rows of a list of images (row i = image i). */
export interface FeatureMatrix {
  rows: number;
  dim: number;
  data: Float32Array;
  parts: FeaturePart[];
  /** Seconds the extraction took when it was computed (also when read back from the cache). */
  seconds: number;
}

/** How the pixels are changed before the base: none, a left-right mirror, or the product's augmentation #k. */
export type Variant =
  | { kind: 'plain' }
  | { kind: 'flip' }
  | { kind: 'augment'; index: number; seed: number; options?: AugmentOptionsInput };

/** A base cut with taps: the sub-model and its parts. */
export interface TappedBase {
  model: tf.LayersModel;
  parts: FeaturePart[];
  base: LoadedBase;
}

/**
 * The base's sub-model giving concat(GAP(layer) for each of `layers`, base feature).
 * @throws Error naming a layer the base does not have, or one that is not spatial.
 */
export function tapBase(base: LoadedBase, layers: readonly string[]): TappedBase {
  const outputs: tf.SymbolicTensor[] = [];
  const parts: FeaturePart[] = [];
  let offset = 0;
  for (const name of layers) {
    const layer = base.model.layers.find((l) => l.name === name);
    if (!layer) throw new Error(`Base ${base.info.id} has no layer ${JSON.stringify(name)}.`);
    const out = layer.output as tf.SymbolicTensor;
    if (out.shape.length !== 4)
      throw new Error(`Layer ${JSON.stringify(name)} is not spatial: ${JSON.stringify(out.shape)}.`);
    outputs.push(tf.layers.globalAveragePooling2d({ name: `tap_${name}` }).apply(out) as tf.SymbolicTensor);
    parts.push({ layer: name, offset, dim: out.shape[3]! });
    offset += out.shape[3]!;
  }
  const last = base.model.outputs[0]!;
  parts.push({ layer: 'feature', offset, dim: last.shape[1]! });
  const output =
    outputs.length === 0
      ? last
      : (tf.layers.concatenate({ name: 'taps' }).apply([...outputs, last]) as tf.SymbolicTensor);
  return { model: tf.model({ inputs: base.model.inputs, outputs: output, name: 'tapped' }), parts, base };
}

/** Options of {@link extractMatrix}. */
export interface ExtractMatrixOptions {
  tapped: TappedBase;
  images: readonly BenchImage[];
  variant: Variant;
  /** Cache folder. */
  cacheDir: string;
  /** Names the image list in the cache key (e.g. "fmnist-train-1000"). */
  setKey: string;
  /** ORT intra-op threads. Default: 2. */
  threads?: number;
  /** Called after each batch with rows done. Default: none. */
  onProgress?: (done: number, total: number) => void;
}

/** Pixels of one variant of a preprocessed image. */
export function variantPixels(image: RgbImage, hash: string, variant: Variant): Uint8Array {
  if (variant.kind === 'plain') return image.data;
  if (variant.kind === 'flip') return mirror(image);
  return augment(image, variant.options ?? {}, augmentSeed(hash, variant.index, variant.seed)).data;
}

/** Left-right mirror of interleaved RGB pixels. */
export function mirror(image: RgbImage): Uint8Array {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = (y * width + (width - 1 - x)) * 3;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
    }
  }
  return out;
}

const converted = new WeakMap<TappedBase, Uint8Array>();

/** The tapped model as ONNX bytes, converted once per tapped base. */
export function onnxBytes(tapped: TappedBase): Uint8Array {
  let bytes = converted.get(tapped);
  if (!bytes) {
    bytes = encodeOnnx(convertToOnnx(tapped.model, { inputName: 'input', outputName: 'features' }));
    converted.set(tapped, bytes);
  }
  return bytes;
}

/** The feature rows of `images` under `variant`, from the cache or computed (and cached). */
export async function extractMatrix(options: ExtractMatrixOptions): Promise<FeatureMatrix> {
  const { tapped, images, variant } = options;
  const dim = tapped.parts.reduce((sum, p) => sum + p.dim, 0);
  const key = sha256(
    JSON.stringify({ set: options.setKey, n: images.length, base: tapped.base.info.id, parts: tapped.parts, variant }),
  ).slice(0, 24);
  const file = path.join(options.cacheDir, `${key}.f32`);
  const meta = path.join(options.cacheDir, `${key}.json`);
  if (existsSync(file) && existsSync(meta)) {
    const bytes = await readFile(file);
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const { seconds } = JSON.parse(await readFile(meta, 'utf8')) as { seconds: number };
    if (data.length === images.length * dim) return { rows: images.length, dim, data, parts: tapped.parts, seconds };
  }
  const session = await WorkerSession.create(onnxBytes(tapped), { threads: options.threads ?? 2 });
  const started = performance.now();
  const data = new Float32Array(images.length * dim);
  const side = tapped.base.info.inputSize;
  const batchSize = 32;
  try {
    let batch: { index: number; pixels: Uint8Array }[] = [];
    let inFlight: Promise<void> | undefined;
    let done = 0;
    const forward = async (rows: typeof batch) => {
      const pixels = new Uint8Array(rows.length * side * side * 3);
      rows.forEach((r, j) => pixels.set(r.pixels, j * side * side * 3));
      const out = await session.run(scaleToFloat(pixels, tapped.base.info.scaling), [rows.length, side, side, 3]);
      rows.forEach((r, j) => data.set(out.subarray(j * dim, (j + 1) * dim), r.index * dim));
      done += rows.length;
      options.onProgress?.(done, images.length);
    };
    const items = images.map((image, index) => ({ path: image.path, hash: image.hash, index }));
    for await (const item of preprocessStream(items, { size: side })) {
      if (!item.ok) throw new Error(`Could not read ${JSON.stringify(item.item.path)}: ${item.error.message}`);
      batch.push({ index: item.item.index, pixels: variantPixels(item, item.item.hash, variant) });
      if (batch.length === batchSize) {
        await inFlight;
        inFlight = forward(batch);
        batch = [];
      }
    }
    await inFlight;
    if (batch.length > 0) await forward(batch);
  } finally {
    await session.release();
  }
  // Decoding, resizing, the variant's pixel work and the base's forward pass; not the one-off conversion.
  const seconds = (performance.now() - started) / 1000;
  await mkdir(options.cacheDir, { recursive: true });
  await writeFile(file, new Uint8Array(data.buffer));
  await writeFile(meta, JSON.stringify({ seconds, rows: images.length, dim, parts: tapped.parts, variant }));
  return { rows: images.length, dim, data, parts: tapped.parts, seconds };
}

/** The columns of `matrix` belonging to `layers` (in the matrix's order), as a new matrix. */
export function selectParts(matrix: FeatureMatrix, layers: readonly string[]): FeatureMatrix {
  const parts = matrix.parts.filter((p) => layers.includes(p.layer));
  if (parts.length !== layers.length)
    throw new Error(
      `Expected parts ${JSON.stringify(layers)}, the matrix has ${JSON.stringify(matrix.parts.map((p) => p.layer))}.`,
    );
  const dim = parts.reduce((sum, p) => sum + p.dim, 0);
  const data = new Float32Array(matrix.rows * dim);
  for (let r = 0; r < matrix.rows; r++) {
    let at = r * dim;
    for (const p of parts) {
      data.set(matrix.data.subarray(r * matrix.dim + p.offset, r * matrix.dim + p.offset + p.dim), at);
      at += p.dim;
    }
  }
  let offset = 0;
  const moved = parts.map((p) => ({ ...p, offset: (offset += p.dim) - p.dim }));
  return { rows: matrix.rows, dim, data, parts: moved, seconds: matrix.seconds };
}

/** Row-wise concatenation of matrices over the same images (e.g. two bases' features). */
export function joinColumns(matrices: readonly FeatureMatrix[]): FeatureMatrix {
  const rows = matrices[0]!.rows;
  const dim = matrices.reduce((sum, m) => sum + m.dim, 0);
  const data = new Float32Array(rows * dim);
  const parts: FeaturePart[] = [];
  let offset = 0;
  for (const m of matrices) {
    if (m.rows !== rows) throw new Error(`Expected ${rows} rows, received ${m.rows}.`);
    for (let r = 0; r < rows; r++) data.set(m.data.subarray(r * m.dim, (r + 1) * m.dim), r * dim + offset);
    parts.push(...m.parts.map((p) => ({ ...p, offset: p.offset + offset })));
    offset += m.dim;
  }
  return { rows, dim, data, parts, seconds: matrices.reduce((s, m) => s + m.seconds, 0) };
}
