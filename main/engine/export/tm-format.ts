/**
 * The Teachable Machine export (`tm`): a folder that code written for Teachable Machine image models
 * loads unchanged — `tmImage.load(modelURL, metadataURL)` of `@teachablemachine/image` 0.8.5 with its own
 * tfjs 1.3. That loader centre-crops, resizes to `imageSize` and feeds `x/127 − 1`; the model maps that to
 * the base's scaling with a fixed BatchNormalization layer (tfjs 1.3 has no Rescaling), and its topology
 * keeps only layer classes and config fields tfjs 1.3 knows (./tfjs1-topology.ts).
 * `verify` checks the topology against that list, reloads the folder with `tf.loadLayersModel` and feeds
 * Teachable Machine's input: probabilities within 1e-4 of the app's and the same top-1.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { fileSystemLoader } from '../models/io/fs-handler';
import { graphOf, readLayersModel, withInputLayer, writeLayersModel } from './layers-model-files';
import { tmScalingLayer } from './input-scaling';
import { modelMetadata, writeModelMetadata } from './metadata';
import { appProbabilities, compareRows, predictRows, samplePixels } from './reference';
import type { ExportFormat } from './registry';
import { tfjs1Issues, toTfjs1Topology } from './tfjs1-topology';

/** The versions Teachable Machine's own exports write (its loader reads them as they are). */
export const TM_PACKAGE = {
  tfjsVersion: '1.3.1',
  tmVersion: '2.4.5',
  packageName: '@teachablemachine/image',
  packageVersion: '0.8.5',
};

/** Largest |Δ| of a probability allowed between the export (fed x/127 − 1) and the app. */
export const TM_TOLERANCE = 1e-4;

export const tmFormat: ExportFormat = {
  id: 'tm',
  name: 'Teachable Machine',
  description:
    'For code written for Teachable Machine image models: tmImage.load(model.json, metadata.json) with @teachablemachine/image and its tfjs 1.x.',
  files: ['model.json', 'group1-shard*of*.bin', 'metadata.json', 'labels.txt', 'README.md'],
  input: 'tm',
  modelFile: 'model.json',
  async export(run, dir, ctx) {
    const model = await readLayersModel(run.modelDir);
    const scaled = withInputLayer(model, tmScalingLayer(run.base.scaling));
    await writeLayersModel(
      dir,
      { ...scaled, topology: toTfjs1Topology(scaled.topology) },
      { extra: { generatedBy: 'Transfer Studio', convertedBy: null } },
    );
    await writeModelMetadata(dir, modelMetadata(run, ctx, 'tm', TM_PACKAGE));
  },
  async verify(dir, run) {
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as {
      modelTopology: Record<string, unknown>;
    };
    const issues = tfjs1Issues(graphOf(json.modelTopology).layers);
    if (issues.length > 0) return { ok: false, detail: `tfjs 1.3 would refuse the topology: ${issues.join('; ')}` };
    const samples = await samplePixels(run);
    const expected = await appProbabilities(run, samples);
    const exported = await tf.loadLayersModel(fileSystemLoader(path.join(dir, 'model.json')));
    let actual: number[][];
    try {
      const input = tf.tidy(
        () =>
          tf
            .tensor4d(samples.pixels, [samples.count, samples.size, samples.size, 3], 'int32')
            .toFloat()
            .div(127)
            .sub(1) as tf.Tensor4D,
      );
      actual = predictRows(exported, input);
    } finally {
      exported.dispose();
    }
    const { maxAbsDiff, top1Equal } = compareRows(expected, actual);
    return {
      ok: maxAbsDiff <= TM_TOLERANCE && top1Equal,
      maxAbsDiff,
      detail: `topology uses only tfjs 1.3 layer classes and fields; reloaded with tf.loadLayersModel and fed x/127 − 1 of ${samples.count} ${samples.sources[0] === 'noise' ? 'noise' : 'test'} images: max |Δ| ${maxAbsDiff.toExponential(2)} vs the app (limit ${TM_TOLERANCE}), top-1 ${top1Equal ? 'equal' : 'differs'}`,
    };
  },
};
