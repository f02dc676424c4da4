/**
 * The tfjs layer of each head layer kind: the engine's half of the table in shared/head-layers
 * (everything else about a kind — schema, CLI token, shapes, labels — lives there). The type makes a
 * kind without a builder a compile error.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerKind, LayerSpec } from '../../../shared/layer-spec';

/** Builds the fresh, unbuilt tfjs layer of one kind. */
type LayerBuilder<K extends LayerKind> = (spec: Extract<LayerSpec, { kind: K }>, name: string) => tf.layers.Layer;

export const HEAD_LAYER_BUILDERS: { readonly [K in LayerKind]: LayerBuilder<K> } = {
  dense: (spec, name) => tf.layers.dense({ units: spec.units, activation: spec.activation, name }),
  dropout: (spec, name) => tf.layers.dropout({ rate: spec.rate, name }),
  batchNormalization: (_spec, name) => tf.layers.batchNormalization({ name }),
  activation: (spec, name) => tf.layers.activation({ activation: spec.activation, name }),
  flatten: (_spec, name) => tf.layers.flatten({ name }),
  globalAveragePooling2d: (_spec, name) => tf.layers.globalAveragePooling2d({ name }),
};

/** The tfjs layer for a head layer spec, named `name`. */
export function buildHeadLayer(spec: LayerSpec, name: string): tf.layers.Layer {
  return (HEAD_LAYER_BUILDERS[spec.kind] as LayerBuilder<LayerKind>)(spec as never, name);
}
