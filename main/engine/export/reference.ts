/**
 * What the exports are checked against: the app's own predictions. Sample images are the run's held-out
 * test images (decoded and resized by the app's preprocessing), or deterministic noise images when the
 * run has none; the app predicts with its final model (`model/`) on the base's scaling of those pixels.
 */
import * as tf from '@tensorflow/tfjs';
import { preprocessResolved } from '../data/preprocess';
import { scalePixels } from '../models/scale';
import { loadModel } from '../training/checkpoint';
import type { ExportRun } from './registry';

/** Sample images as the app feeds them: RGB bytes 0–255 of `count` images of size² pixels. */
export interface SamplePixels {
  pixels: Uint8Array;
  count: number;
  size: number;
  /** Where they came from: test image paths, or "noise". */
  sources: string[];
}

/** Sample images the verify steps predict on. Default `max`: 8. */
export async function samplePixels(run: ExportRun, max = 8): Promise<SamplePixels> {
  const size = run.preprocess.size;
  const perImage = size * size * 3;
  const images = (run.state.test?.images ?? []).slice(0, max);
  const decoded: { data: Uint8Array; source: string }[] = [];
  for (const image of images) {
    try {
      decoded.push({ data: (await preprocessResolved(image.path, run.preprocess)).data, source: image.path });
    } catch {
      // A test image moved or deleted since training: the others (or noise) still check the export.
    }
  }
  if (decoded.length === 0) {
    for (let i = 0; i < 4; i++) {
      const data = new Uint8Array(perImage);
      let state = 2463534242 + i * 7919;
      for (let k = 0; k < perImage; k++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        data[k] = state & 0xff;
      }
      decoded.push({ data, source: 'noise' });
    }
  }
  const pixels = new Uint8Array(decoded.length * perImage);
  decoded.forEach((entry, index) => pixels.set(entry.data, index * perImage));
  return { pixels, count: decoded.length, size, sources: decoded.map((entry) => entry.source) };
}

/** Probabilities of `model` on `input` (disposed here), one row per image. */
export function predictRows(model: tf.LayersModel, input: tf.Tensor4D): number[][] {
  const output = tf.tidy(() => model.predict(input) as tf.Tensor);
  input.dispose();
  const rows = output.arraySync() as number[][];
  output.dispose();
  return rows;
}

/** The app's probabilities on the samples: `model/` on the base's scaling of the pixels. */
export async function appProbabilities(run: ExportRun, samples: SamplePixels): Promise<number[][]> {
  const model = await loadModel(run.modelDir);
  try {
    return predictRows(model, scalePixels(samples.pixels, { inputSize: samples.size, scaling: run.base.scaling }));
  } finally {
    model.dispose();
  }
}

/** Largest absolute difference between two sets of probability rows, and whether every top-1 agrees. */
export function compareRows(expected: number[][], actual: number[][]): { maxAbsDiff: number; top1Equal: boolean } {
  let maxAbsDiff = 0;
  let top1Equal = expected.length === actual.length;
  const argmax = (row: number[]): number => row.indexOf(Math.max(...row));
  expected.forEach((row, i) => {
    const other = actual[i] ?? [];
    if (other.length !== row.length) maxAbsDiff = Number.POSITIVE_INFINITY;
    row.forEach((value, j) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(value - (other[j] ?? Number.NaN)) || 0)));
    if (argmax(row) !== argmax(other)) top1Equal = false;
  });
  return { maxAbsDiff, top1Equal };
}
