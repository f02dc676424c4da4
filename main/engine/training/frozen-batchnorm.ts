/**
 * Keras-correct BatchNormalization for fine-tuning.
 *
 * tfjs passes `training: true` to every layer during `fit`, and its BatchNormalization then
 * (a) normalises with the batch's own mean/variance and (b) writes new moving averages — even when
 * the layer is not trainable (tfjs-layers normalization.js, `call`). Keras instead runs the base's
 * BN layers in inference mode when fine-tuning (the transfer-learning guide calls the base with
 * `training=False`): moving statistics stay as they are and normalisation uses them.
 *
 * We do the same by overriding `call` on each BN layer instance so that `training` is always
 * false. The layer's class, config and weights are unchanged, so saved models stay plain
 * `BatchNormalization` and load anywhere; gamma/beta still receive gradients when the layer is
 * trainable (inference-mode normalisation is differentiable in them), as in Keras.
 */
import type * as tf from '@tensorflow/tfjs';

const LOCKED = Symbol.for('transfer-studio.bn-inference-locked');

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];
type LockableLayer = tf.layers.Layer & { [LOCKED]?: CallFn };

/** True for tfjs BatchNormalization layers (by class name, so subclasses from loaded models count). */
export function isBatchNormalization(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/** Every layer of `model`, descending into nested models (a base used as a layer). */
export function allLayers(model: tf.LayersModel | tf.layers.Layer): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const visit = (layer: tf.layers.Layer) => {
    const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (Array.isArray(nested)) nested.forEach(visit);
    else out.push(layer);
  };
  visit(model as tf.layers.Layer);
  return out;
}

/**
 * Forces every BatchNormalization layer among `layers` (or all layers of a model) into inference
 * mode for good: `training` is false in every call, so moving mean/variance are never updated and
 * batch statistics are never used. Idempotent.
 * @returns the number of BN layers locked by this call.
 */
export function lockBatchNormInference(target: tf.LayersModel | tf.layers.Layer | tf.layers.Layer[]): number {
  const layers = Array.isArray(target) ? target.flatMap((layer) => allLayers(layer)) : allLayers(target);
  let locked = 0;
  for (const layer of layers as LockableLayer[]) {
    if (!isBatchNormalization(layer) || layer[LOCKED]) continue;
    const original = layer.call.bind(layer) as CallFn;
    layer[LOCKED] = original;
    (layer as unknown as { call: CallFn }).call = (inputs, kwargs) => original(inputs, { ...kwargs, training: false });
    locked++;
  }
  return locked;
}

/** True when {@link lockBatchNormInference} has locked this layer. */
export function isBatchNormLocked(layer: tf.layers.Layer): boolean {
  return (layer as LockableLayer)[LOCKED] !== undefined;
}

/** Snapshot of every BN layer's moving mean and variance (copied values), keyed by layer name. */
export function readMovingStatistics(
  model: tf.LayersModel,
): Map<string, { mean: Float32Array; variance: Float32Array }> {
  const stats = new Map<string, { mean: Float32Array; variance: Float32Array }>();
  for (const layer of allLayers(model)) {
    if (!isBatchNormalization(layer)) continue;
    const bn = layer as unknown as { movingMean: { read(): tf.Tensor }; movingVariance: { read(): tf.Tensor } };
    stats.set(layer.name, {
      mean: (bn.movingMean.read().dataSync() as Float32Array).slice(),
      variance: (bn.movingVariance.read().dataSync() as Float32Array).slice(),
    });
  }
  return stats;
}
