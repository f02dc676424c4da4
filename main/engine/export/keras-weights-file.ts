/**
 * The Keras 2 weights-only HDF5 layout (`model.save_weights('x.h5')`, the files keras.applications downloads such
 * as `xception_weights_tf_dim_ordering_tf_kernels_notop.h5`), written with h5wasm:
 *
 *     /  attrs: layer_names, backend, keras_version   (no model_config)
 *     /<layer>  attrs: weight_names (e.g. "block1_conv1/kernel:0")
 *     /<layer>/<weight name>  float32 dataset (the name's "/" makes subgroups)
 *
 * Reading is {@link readKerasH5} of ./keras-h5-file.ts (it reads both layouts); {@link readKerasWeightsH5} adds the
 * check that the file is weights-only.
 */
import { promises as fs } from 'node:fs';
import h5wasm from 'h5wasm/node';
import { StudioError, quote } from '../../../shared/errors';
import {
  KERAS_VERSION,
  readKerasH5,
  writeLayerWeights,
  type KerasH5Content,
  type KerasLayerWeights,
} from './keras-h5-file';

/**
 * Writes `layers` as a weights-only Keras 2 .h5 file (replacing `file`).
 * @param kerasVersion the keras_version attribute. Default: "2.15.0".
 */
export async function writeKerasWeightsH5(
  file: string,
  layers: KerasLayerWeights[],
  kerasVersion = KERAS_VERSION,
): Promise<void> {
  await h5wasm.ready;
  await fs.rm(file, { force: true });
  const h5 = new h5wasm.File(file, 'w');
  try {
    writeLayerWeights(h5, layers, kerasVersion, 'tensorflow');
  } finally {
    h5.close();
  }
}

/**
 * Reads a weights-only Keras 2 .h5 file.
 * @throws StudioError BAD_INPUT naming the file when it holds a whole model (`model_config`), and the errors of
 *   {@link readKerasH5}.
 */
export async function readKerasWeightsH5(file: string): Promise<KerasH5Content> {
  const content = await readKerasH5(file);
  if (content.modelConfig) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)} holds a whole model (it has "model_config"), not only weights.`,
      {
        path: file,
      },
    );
  }
  return content;
}
