import * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../shared/errors';

/** Name of the pooling layer appended after a spatial cut layer. */
export const FEATURE_POOL_NAME = 'feature_pool';

/**
 * The sub-model of `full` from its input to `cutLayer` (plus global average pooling when asked),
 * as Keras does with `Model(base.input, base.get_layer(name).output)`. Layers above the cut are
 * disposed (their weights are freed); the returned model shares the kept layers with `full`.
 * @param pooling 'avg' appends GlobalAveragePooling2D named {@link FEATURE_POOL_NAME}. Default: 'none'.
 * @throws StudioError BAD_INPUT naming the layer when it is missing or has several outputs.
 */
export function cutModel(
  full: tf.LayersModel,
  cutLayer: string,
  pooling: 'avg' | 'none' = 'none',
  name?: string,
): tf.LayersModel {
  const layer = full.layers.find((l) => l.name === cutLayer);
  if (!layer) {
    throw new StudioError('BAD_INPUT', `The model has no layer named ${quote(cutLayer)}.`, {
      layer: cutLayer,
      layers: full.layers.map((l) => l.name),
    });
  }
  if (layer.inboundNodes.length !== 1 || Array.isArray(layer.output)) {
    throw new StudioError(
      'BAD_INPUT',
      `Layer ${quote(cutLayer)} has several outputs; choose a layer with one output.`,
      { layer: cutLayer },
    );
  }
  let output = layer.output as tf.SymbolicTensor;
  if (pooling === 'avg') {
    output = tf.layers.globalAveragePooling2d({ name: FEATURE_POOL_NAME }).apply(output) as tf.SymbolicTensor;
  }
  const cut = tf.model({ inputs: full.inputs, outputs: output, name: name ?? `${full.name}_cut` });
  const kept = new Set(cut.layers);
  for (const other of full.layers) if (!kept.has(other)) other.dispose();
  return cut;
}

/** Output shape of a layer, with null for the batch axis. */
export function outputShapeOf(layer: tf.layers.Layer): (number | null)[] {
  const shape = layer.outputShape;
  return (Array.isArray(shape[0]) ? (shape[0] as (number | null)[]) : (shape as (number | null)[])).slice();
}
