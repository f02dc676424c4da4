/**
 * The `keras` export format: `model.h5`, base + head as one Keras 2 model taking raw 0–255 pixels
 * (see ./keras-h5.ts), verified like the TF.js export: reloaded (h5wasm → tfjs, the reader the .h5 import uses) and
 * compared with the app's predictions on the run's test images (./reference.ts).
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import type { ExportFormat } from './registry';
import { KERAS_FILE, KERAS_TOLERANCE, loadKerasModel, writeKerasExport } from './keras-h5';
import { appProbabilities, compareRows, predictRows, samplePixels } from './reference';

export const kerasFormat: ExportFormat = {
  id: 'keras',
  name: 'Keras (.h5)',
  description:
    'For Python: one Keras 2 .h5 file (base + head, raw 0–255 pixels in), tf.keras.models.load_model("model.h5").',
  files: [KERAS_FILE, 'labels.txt', 'README.md'],
  input: 'pixels',
  modelFile: KERAS_FILE,
  async export(run, dir) {
    await writeKerasExport(run.modelDir, dir, { scaling: run.base.scaling });
  },
  async verify(dir, run) {
    const samples = await samplePixels(run);
    const expected = await appProbabilities(run, samples);
    const reloaded = await loadKerasModel(path.join(dir, KERAS_FILE));
    let actual: number[][];
    try {
      const input = tf.tidy(() =>
        tf.tensor4d(samples.pixels, [samples.count, samples.size, samples.size, 3], 'int32').toFloat(),
      );
      actual = predictRows(reloaded, input);
    } finally {
      reloaded.dispose();
    }
    const { maxAbsDiff, top1Equal } = compareRows(expected, actual);
    const what = samples.sources[0] === 'noise' ? `${samples.count} noise images` : `${samples.count} test images`;
    return {
      ok: maxAbsDiff <= KERAS_TOLERANCE && top1Equal,
      detail: `reloaded ${KERAS_FILE} (h5wasm → tfjs) and predicted ${what}: max |Δ| ${maxAbsDiff.toExponential(1)}, top-1 ${top1Equal ? 'equal' : 'differs'}`,
      maxAbsDiff,
    };
  },
};
