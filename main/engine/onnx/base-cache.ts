/**
 * Converted bases on disk: `<cacheDir>/onnx/<hash>.onnx`, keyed by a hash of the sub-model's topology,
 * every weight's bytes and the converter version, so a base converts once per machine.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { cacheDir } from '../app-paths';
import { writeFileAtomic } from '../fs/atomic-write';
import { convertToOnnx, encodeOnnx } from './convert';

/** Bumped whenever the converter's output changes, so old conversions are not reused. */
export const CONVERTER_VERSION = 1;

/** sha256 of the model's topology and weights (and the converter version): the same for every load of a model. */
export function weightsHash(model: tf.LayersModel): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ converter: CONVERTER_VERSION, topology: model.toJSON(null, false) }));
  for (const w of model.weights) {
    const data = w.read().dataSync() as Float32Array;
    // originalName, not name: tfjs suffixes `name` (…/kernel_1, …/kernel_2) each time a model is loaded.
    hash.update(`${w.originalName}:${w.shape.join('x')}:`);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

export interface ConvertedBaseOptions {
  /** Root of the app's caches. Default: `cacheDir()` of app-paths. */
  cacheDir?: string;
}

/** The converted model's bytes and where they are cached; converts (and caches) on a miss. */
export async function convertedModel(
  model: tf.LayersModel,
  options: ConvertedBaseOptions = {},
): Promise<{ bytes: Uint8Array; file: string; cached: boolean }> {
  const dir = path.join(options.cacheDir ?? cacheDir(), 'onnx');
  const file = path.join(dir, `${weightsHash(model)}.onnx`);
  try {
    return { bytes: new Uint8Array(await readFile(file)), file, cached: true };
  } catch {
    const bytes = encodeOnnx(convertToOnnx(model, { inputName: 'input', outputName: 'features' }));
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, bytes);
    return { bytes, file, cached: false };
  }
}
