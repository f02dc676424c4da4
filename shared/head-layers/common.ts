/**
 * What every head layer kind shares: activations, layer names, feature shapes, and quoting values
 * the Keras way. Pure: no node, tfjs or electron imports.
 */
import { z } from 'zod';

/** Activations a head layer may use (the tfjs names). */
export const ACTIVATIONS = [
  'relu',
  'relu6',
  'elu',
  'selu',
  'gelu',
  'swish',
  'tanh',
  'sigmoid',
  'softmax',
  'linear',
] as const;
export const Activation = z.enum(ACTIVATIONS);
export type Activation = z.infer<typeof Activation>;

/** Layer names: Keras-safe identifiers. */
export const LayerName = z
  .string()
  .regex(/^[A-Za-z][\w.-]{0,99}$/, 'Layer names start with a letter and use letters, digits, _ . -');

/** The option every kind has. */
export const named = { /** The layer's name; Default: generated (`head_dense_1`, …). */ name: LayerName.optional() };

/** One feature without the batch axis, e.g. [1280] or [7, 7, 1280]; `null` = a size not known yet. */
export type FeatureShape = readonly (number | null)[];

/** Quotes a value the Keras way: strings in double quotes, numbers as written. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A count with thousands separators: 1280 → "1,280". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A feature in words: "a flat feature of 1,280 values", "a feature map of 7 × 7 × 1,280". */
export function describeFeature(shape: FeatureShape): string {
  const dims = shape.map((d) => (d === null ? '?' : formatCount(d)));
  if (shape.length === 1) return shape[0] === null ? 'a flat feature' : `a flat feature of ${dims[0]} values`;
  return `a feature map of ${dims.join(' × ')}`;
}

/** The number of values in a shape, or null when a size is unknown. */
export function sizeOf(shape: FeatureShape): number | null {
  return shape.some((d) => d === null) ? null : (shape as number[]).reduce((a, b) => a * b, 1);
}
