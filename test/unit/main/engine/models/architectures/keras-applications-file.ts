/**
 * Test helpers: random non-trivial weights for a built architecture, and its weights as a keras.applications
 * weights-only file would hold them (every layer in `layer_names`, weights named "<layer>/<weight>:0").
 */
import * as tf from '@tensorflow/tfjs';
import type { KerasLayerWeights } from '../../../../../../main/engine/export/keras-h5-file';

/**
 * Gives every trainable layer's weights seeded random values (variances positive), so a mis-assigned weight changes
 * the features; fixed layers (built-in preprocessing) keep theirs.
 */
export function randomise(model: tf.LayersModel, seed: number): void {
  let k = seed;
  for (const layer of model.layers) {
    if (layer.weights.length === 0 || !layer.trainable) continue;
    const values = layer.weights.map((w) => {
      const shape = w.shape as number[];
      const short = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      if (short.startsWith('moving_variance') || short.startsWith('gamma'))
        return tf.randomUniform(shape, 0.8, 1.2, 'float32', k++);
      if (short.startsWith('moving_mean') || short.startsWith('beta'))
        return tf.randomUniform(shape, -0.1, 0.1, 'float32', k++);
      const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      return tf.randomNormal(shape, 0, Math.sqrt(1 / fanIn), 'float32', k++);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/**
 * The layers of a weights-only file of `model`, as `model.save_weights` writes them.
 * @param rename file names of layers named otherwise in the file (e.g. Keras 2.0's "conv2d_1"). Default: none.
 * @param leave layers not in the file (built-in preprocessing). Default: none.
 */
export function weightsOf(
  model: tf.LayersModel,
  rename: Record<string, string> = {},
  leave: string[] = [],
): KerasLayerWeights[] {
  return model.layers
    .filter((layer) => !leave.includes(layer.name))
    .map((layer) => {
      const name = rename[layer.name] ?? layer.name;
      const weights = layer.weights.map((w) => ({
        name: `${name}/${w.originalName.slice(w.originalName.lastIndexOf('/') + 1)}:0`,
        shape: w.shape.map(Number),
        data: w.read().dataSync() as Float32Array,
      }));
      return { layer: name, weights };
    });
}
