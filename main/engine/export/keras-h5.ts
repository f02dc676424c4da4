/**
 * The Keras export (`keras`): a run's final model (base + head) as one Keras 2 `.h5` file that
 * `tf.keras.models.load_model("model.h5")` reads. Like the TF.js export it takes raw 0–255 RGB pixels,
 * float32 `[N, S, S, 3]`: its first layer is a Keras `Rescaling` (Keras ≥ 2.6 and tfjs both have it) that applies the
 * base's scaling. ./keras-format.ts reloads it with {@link loadKerasModel} (the reader the .h5 import uses) to verify it.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Scaling } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';
import { fileSystemLoader } from '../models/io/fs-handler';
import { readKerasH5, writeKerasH5 } from './keras-h5-file';
import { kerasContentOf, writeTfjsFolder } from './keras-tfjs';
import { withPixelInput, type ModelTopology } from './keras-topology';

/** The file the Keras export writes. */
export const KERAS_FILE = 'model.h5';

/** Options of the Keras export. */
export interface KerasExportOptions {
  /** The base's scaling of 0–255 pixels (its BaseInfo `scaling`), put into the model as its first layer. */
  scaling: Scaling;
}

/** Largest |difference| between the app's and the reloaded file's probabilities that verify accepts. */
export const KERAS_TOLERANCE = 1e-5;

/** Loads a run's final model folder (`model/`, which takes scaled input). Dispose it after use. */
export async function loadModelFolder(modelDir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemLoader(path.join(modelDir, 'model.json')));
}

/** Writes `model` (taking input scaled by `scaling`) as a Keras .h5 file taking raw pixels. */
export async function writeKerasModel(model: tf.LayersModel, scaling: Scaling, file: string): Promise<void> {
  const topology = withPixelInput(model.toJSON(null, false) as unknown as ModelTopology, scaling);
  await writeKerasH5(file, kerasContentOf(model, topology));
}

/**
 * Writes `<outDir>/model.h5` from a run's final model folder.
 * @returns the files written, relative to outDir.
 */
export async function writeKerasExport(
  modelDir: string,
  outDir: string,
  options: KerasExportOptions,
): Promise<string[]> {
  const model = await loadModelFolder(modelDir);
  try {
    await fs.mkdir(outDir, { recursive: true });
    await writeKerasModel(model, options.scaling, path.join(outDir, KERAS_FILE));
  } finally {
    model.dispose();
  }
  return [KERAS_FILE];
}

/**
 * Reads a Keras .h5 model file into a tfjs layers model (through a temporary tfjs folder). Dispose it after use.
 * @throws StudioError BAD_INPUT naming the file when it is not a readable Keras model.
 */
export async function loadKerasModel(file: string): Promise<tf.LayersModel> {
  const content = await readKerasH5(file);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-keras-'));
  try {
    await writeTfjsFolder(content, dir, file);
    try {
      return await tf.loadLayersModel(fileSystemLoader(path.join(dir, 'model.json')));
    } catch (error) {
      throw new StudioError(
        'BAD_INPUT',
        `${quote(file)} holds a model tfjs cannot build: ${(error as Error).message}`,
        { path: file },
      );
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Deterministic 0–255 test pixels `[n, size, size, 3]` (a gradient with a pattern, not noise). */
export function probePixels(n: number, size: number): tf.Tensor4D {
  const values = new Float32Array(n * size * size * 3).map((_, i) => (i * 37 + Math.floor(i / 97) * 11) % 256);
  return tf.tensor4d(values, [n, size, size, 3]);
}
