/**
 * A head walked through the table, layer by layer: each layer's input and output shape, its
 * parameter count, and — when it cannot follow its input — a refusal a person understands.
 */
import { describeFeature, quote, type FeatureShape } from './common';
import { HEAD_LAYER_KINDS, kindOf, type LayerSpec } from './index';
import type { HeadLayerKind } from './kind';
import { resolvedLayerNames } from './names';

/** One layer of a traced head. */
export interface TracedLayer {
  input: FeatureShape;
  /** Its output; a refused layer passes its input through, so one mistake is reported once. */
  output: FeatureShape;
  /** Parameters (as tfjs `countParams()`), or null when a size is unknown. */
  params: number | null;
  /** Why it cannot follow its input, e.g. "GlobalAveragePooling2D needs a spatial feature map …". */
  refusal?: string;
}

/** A head's layers traced from the base feature, and the shape reaching the output layer. */
export interface HeadTrace {
  layers: TracedLayer[];
  output: FeatureShape;
}

/** Whether a kind can follow an input of this shape. */
export function canFollow(entry: HeadLayerKind<LayerSpec>, input: FeatureShape): boolean {
  return entry.accepts?.(input) ?? true;
}

/**
 * Traces a head on a base feature.
 * @param featureShape the base's feature without the batch axis, e.g. [1280]. Default: a flat feature of unknown size.
 */
export function traceHead(layers: readonly LayerSpec[], featureShape: FeatureShape = [null]): HeadTrace {
  const names = resolvedLayerNames(layers);
  const traced: TracedLayer[] = [];
  let shape = featureShape;
  let shapedBy = -1; // the layer that last changed the rank (-1: the base)
  layers.forEach((layer, index) => {
    const entry = kindOf(layer);
    if (!canFollow(entry, shape)) {
      const needs = `${entry.label} needs ${entry.needs ?? 'another input'}`;
      const fix = shapedBy < 0 ? 'pick a base cut at a spatial layer' : `move it above ${quote(names[shapedBy])}`;
      const refusal = `${needs}, but ${inputInWords(shape, index, shapedBy)}; remove it or ${fix}.`;
      traced.push({ input: shape, output: shape, params: 0, refusal });
      return;
    }
    const output = entry.outputShape(layer, shape);
    traced.push({ input: shape, output, params: entry.params(layer, shape) });
    if (output.length !== shape.length) shapedBy = index;
    shape = output;
  });
  return { layers: traced, output: shape };

  /** "the base gives …" right after the base, else "its input is … (made flat by the Flatten "x")". */
  function inputInWords(input: FeatureShape, index: number, shapedBy: number): string {
    if (index === 0) return `the base gives ${describeFeature(input)}`;
    if (shapedBy < 0) return `its input is ${describeFeature(input)}, shaped like the base's feature`;
    const by = `the ${kindOf(layers[shapedBy]!).label} ${quote(names[shapedBy])}`;
    return `its input is ${describeFeature(input)} (${input.length === 1 ? 'made flat' : 'shaped'} by ${by})`;
  }
}

/** A kind offered at a place in the head, with why it cannot go there (undefined when it can). */
export interface LayerChoice {
  entry: HeadLayerKind<LayerSpec>;
  refusal?: string;
}

/**
 * Every kind, in menu order, for a new layer inserted at `position` (0 = right after the base,
 * `layers.length` = just before the output): kinds that cannot follow the input there carry the reason.
 */
export function layerChoicesAt(
  layers: readonly LayerSpec[],
  position: number,
  featureShape?: FeatureShape,
): LayerChoice[] {
  const trace = traceHead(layers.slice(0, position), featureShape);
  return HEAD_LAYER_KINDS.map((entry) =>
    canFollow(entry, trace.output)
      ? { entry }
      : {
          entry,
          refusal: `Needs ${entry.needs ?? 'another input'}; here the input is ${describeFeature(trace.output)}.`,
        },
  );
}
