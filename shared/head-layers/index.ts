/**
 * The table of head layer kinds: for each kind its schema and defaults, CLI token, output-shape
 * rule, which inputs it can follow, UI label and help. The CLI, the validator, the head editor and
 * the engine's tfjs builder all read it. Adding a kind: one file here, one entry in
 * {@link HEAD_LAYER_KINDS} and {@link LayerSpec}, and its builder in main/engine/models/head-layer-builders.ts.
 */
import { z } from 'zod';
import { activationLayer, ActivationSpec } from './activation-layer';
import { batchNormalizationLayer, BatchNormSpec } from './batch-normalization';
import { denseLayer, DenseSpec } from './dense';
import { dropoutLayer, DropoutSpec } from './dropout';
import { flattenLayer, FlattenSpec } from './flatten';
import { globalAveragePooling2dLayer, GapSpec } from './global-average-pooling-2d';
import type { HeadLayerKind } from './kind';

export { ACTIVATIONS, Activation, LayerName, describeFeature, type FeatureShape } from './common';
export type { HeadLayerKind, LayerField, LayerToken, TokenReader } from './kind';
export { ActivationSpec, BatchNormSpec, DenseSpec, DropoutSpec, FlattenSpec, GapSpec };

/** One head layer. Numbers are checked by each kind's `valueIssues` (see validateHeadSpec), which quote bad values. */
export const LayerSpec = z.discriminatedUnion('kind', [
  DenseSpec,
  DropoutSpec,
  BatchNormSpec,
  ActivationSpec,
  FlattenSpec,
  GapSpec,
]);
export type LayerSpec = z.infer<typeof LayerSpec>;
export type LayerSpecInput = z.input<typeof LayerSpec>;
export type LayerKind = LayerSpec['kind'];

/** Every kind, keyed by `kind`; the type makes a missing entry a compile error. */
const BY_KIND: { readonly [K in LayerKind]: HeadLayerKind<Extract<LayerSpec, { kind: K }>> } = {
  dense: denseLayer,
  dropout: dropoutLayer,
  batchNormalization: batchNormalizationLayer,
  activation: activationLayer,
  flatten: flattenLayer,
  globalAveragePooling2d: globalAveragePooling2dLayer,
};

/** Every kind in menu order. */
export const HEAD_LAYER_KINDS: readonly HeadLayerKind<LayerSpec>[] = Object.values(
  BY_KIND,
) as HeadLayerKind<LayerSpec>[];

/** The table entry of a kind. */
export function layerKind<K extends LayerKind>(kind: K): HeadLayerKind<Extract<LayerSpec, { kind: K }>> {
  return BY_KIND[kind];
}

/** The table entry of a layer spec (typed for that spec). */
export function kindOf(layer: LayerSpec): HeadLayerKind<LayerSpec> {
  return BY_KIND[layer.kind] as HeadLayerKind<LayerSpec>;
}
