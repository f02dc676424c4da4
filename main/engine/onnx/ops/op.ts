/** What an op converter receives and returns. */
import type * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../../shared/errors';
import type { GraphBuilder, Value } from '../graph';

/** One layer being converted. */
export interface LayerContext {
  g: GraphBuilder;
  layer: tf.layers.Layer;
  /** The layer's Keras config (`layer.getConfig()`). */
  config: Record<string, unknown>;
  /** Its inputs, in order. */
  inputs: Value[];
  /** Keras output shape (channels last, batch null). */
  outputShape: (number | null)[];
  /** Name hint for the values the layer creates. */
  hint: string;
}

/** Converts one layer; returns its output value. */
export type LayerConverter = (ctx: LayerContext) => Value;

/** The layer's weights as float32 arrays, in `layer.weights` order, keyed by their short name. */
export function weightsOf(layer: tf.layers.Layer): Map<string, { data: Float32Array; shape: number[] }> {
  const out = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const w of layer.weights) {
    const short = w.originalName.split('/').pop()!.replace(/:\d+$/, '');
    const value = w.read();
    out.set(short, { data: Float32Array.from(value.dataSync() as Float32Array), shape: value.shape.slice() });
  }
  return out;
}

/** A weight the converter needs, or an error naming the layer and the weight. */
export function requireWeight(
  layer: tf.layers.Layer,
  weights: Map<string, { data: Float32Array; shape: number[] }>,
  name: string,
): { data: Float32Array; shape: number[] } {
  const found = weights.get(name);
  if (!found) {
    throw new StudioError(
      'UNSUPPORTED',
      `Layer ${quote(layer.name)} (${layer.getClassName()}) has no weight ${quote(name)}; it has ${quote([...weights.keys()])}.`,
      {
        layer: layer.name,
        className: layer.getClassName(),
      },
    );
  }
  return found;
}

/** An error for a layer setting the converter does not handle. */
export function unsupported(layer: tf.layers.Layer, what: string): StudioError {
  return new StudioError(
    'UNSUPPORTED',
    `Layer ${quote(layer.name)} (${layer.getClassName()}) cannot be converted to ONNX: ${what}.`,
    {
      layer: layer.name,
      className: layer.getClassName(),
    },
  );
}

/** A pair from a Keras int-or-pair setting. */
export function pair(value: unknown, fallback: number): [number, number] {
  if (Array.isArray(value)) return [Number(value[0] ?? fallback), Number(value[1] ?? value[0] ?? fallback)];
  if (typeof value === 'number') return [value, value];
  return [fallback, fallback];
}
