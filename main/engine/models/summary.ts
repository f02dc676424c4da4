import type * as tf from '@tensorflow/tfjs';
import type { ModelSummary } from '../../../shared/contract/models';
import { outputShapeOf } from './cut';
import { isBaseLayer } from './freeze';

const size = (weights: readonly tf.LayerVariable[]) =>
  weights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);

/**
 * A Keras-like `model.summary()`: one row per layer (name, kind, output shape, params, trainable,
 * base/head part) and totals. Totals are summed from the rows; they equal tfjs's `countParams()` and
 * the sizes of `trainableWeights` / `nonTrainableWeights` (tested).
 */
export function summarize(model: tf.LayersModel): ModelSummary {
  const rows = model.layers.map((layer) => ({
    name: layer.name,
    kind: layer.getClassName(),
    outputShape: outputShapeOf(layer),
    params: layer.countParams(),
    trainable: layer.trainable,
    part: isBaseLayer(model, layer.name) ? ('base' as const) : ('head' as const),
    trainableParams: size(layer.trainableWeights),
  }));
  const totalParams = rows.reduce((n, r) => n + r.params, 0);
  const trainableParams = rows.reduce((n, r) => n + r.trainableParams, 0);
  return {
    rows: rows.map(({ trainableParams: _, ...row }) => row),
    totalParams,
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
  };
}
