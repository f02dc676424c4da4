/**
 * The `keras` export format: `model.h5`, base + head as one Keras 2 model taking raw 0–255 pixels
 * (see ./keras-h5.ts), verified by reloading it and comparing predictions with the run's model.
 */
import type { ExportFormat } from './registry';
import { KERAS_FILE, KERAS_TOLERANCE, verifyKerasExport, writeKerasExport } from './keras-h5';

export const kerasFormat: ExportFormat = {
  id: 'keras',
  name: 'Keras (.h5)',
  description: 'One Keras 2 .h5 file for Python: tf.keras.models.load_model("model.h5"), raw 0–255 pixels in.',
  files: [KERAS_FILE],
  input: 'pixels',
  modelFile: KERAS_FILE,
  async export(run, dir) {
    await writeKerasExport(run.modelDir, dir, { scaling: run.base.scaling });
  },
  async verify(dir, run) {
    const diff = await verifyKerasExport(run.modelDir, dir, { scaling: run.base.scaling });
    return {
      ok: diff <= KERAS_TOLERANCE,
      detail: `reloaded ${KERAS_FILE} (h5wasm → tfjs) and predicted 2 probe images: max |Δ| ${diff.toExponential(1)}`,
      maxAbsDiff: diff,
    };
  },
};
