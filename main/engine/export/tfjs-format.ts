/**
 * The TF.js export (`tfjs`): base + head as one layers model, `model.json` + weight shards of at most
 * 4 MiB, that `tf.loadLayersModel` loads. Its input is raw RGB pixels 0–255 (float32 [N, S, S, 3]): the
 * base's scaling is the model's first layer (a Rescaling layer), so users do not have to know it.
 * `verify` reloads the folder with `tf.loadLayersModel` and compares with the app's predictions (≤ 1e-5).
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import { fileSystemLoader } from '../models/io/fs-handler';
import { readLayersModel, withInputLayer, writeLayersModel, type LayersModelFiles } from './layers-model-files';
import { pixelsScalingLayer } from './input-scaling';
import { modelMetadata, writeModelMetadata } from './metadata';
import { appProbabilities, compareRows, predictRows, samplePixels } from './reference';
import type { ExportFormat, ExportRun } from './registry';

/** Largest |Δ| of a probability allowed between the export and the app. */
export const TFJS_TOLERANCE = 1e-5;

/** The run's final model taking raw 0–255 pixels: `model/` with the base's scaling as its first layer (TF.js, ONNX). */
export async function pixelsModelFiles(run: ExportRun): Promise<LayersModelFiles> {
  const model = await readLayersModel(run.modelDir);
  const layer = pixelsScalingLayer(run.base.scaling);
  return layer ? withInputLayer(model, layer) : model;
}

export const tfjsFormat: ExportFormat = {
  id: 'tfjs',
  name: 'TensorFlow.js',
  description:
    'For web pages and Node apps: one layers model (base + head) that takes raw 0–255 RGB pixels, loaded with tf.loadLayersModel.',
  files: ['model.json', 'group1-shard*of*.bin', 'metadata.json', 'labels.txt', 'README.md'],
  input: 'pixels',
  modelFile: 'model.json',
  async export(run, dir, ctx) {
    await writeLayersModel(dir, await pixelsModelFiles(run));
    await writeModelMetadata(
      dir,
      modelMetadata(run, ctx, 'pixels', {
        tfjsVersion: tfjsVersion.tfjs,
        tmVersion: '',
        packageName: 'transfer-studio',
        packageVersion: ctx.appVersion,
      }),
    );
  },
  async verify(dir, run) {
    const samples = await samplePixels(run);
    const expected = await appProbabilities(run, samples);
    const exported = await tf.loadLayersModel(fileSystemLoader(path.join(dir, 'model.json')));
    let actual: number[][];
    try {
      const input = tf.tidy(() =>
        tf.tensor4d(samples.pixels, [samples.count, samples.size, samples.size, 3], 'int32').toFloat(),
      );
      actual = predictRows(exported, input);
    } finally {
      exported.dispose();
    }
    const { maxAbsDiff, top1Equal } = compareRows(expected, actual);
    const ok = maxAbsDiff <= TFJS_TOLERANCE && top1Equal;
    const what =
      samples.sources[0] === 'noise'
        ? `${samples.count} noise images (the run has no test images)`
        : `${samples.count} test images`;
    return {
      ok,
      maxAbsDiff,
      detail: `reloaded with tf.loadLayersModel; raw pixels of ${what}: max |Δ| ${maxAbsDiff.toExponential(2)} vs the app (limit ${TFJS_TOLERANCE}), top-1 ${top1Equal ? 'equal' : 'differs'}`,
    };
  },
};
