/**
 * Topology JSON between tfjs layers and Keras 2. tfjs's `model.toJSON()` is Keras's `model.get_config()` form
 * (class names, snake_case configs, `inbound_nodes`), so the conversion is small: Keras 2.4+ names a functional
 * model `Functional` (tfjs: `Model`) and gives every layer a `dtype`; tfjs wants `Model` back.
 */
import type { Scaling } from '../../../shared/contract/models';
import { INPUT_SCALING_LAYER, affineOf } from './input-scaling';

/** A layer entry of a functional model config. */
export interface LayerEntry {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[];
}

/** `{class_name, config}` of a model (tfjs `model.toJSON(null, false)` or Keras `model_config`). */
export interface ModelTopology {
  class_name: string;
  config: {
    name?: string;
    layers: LayerEntry[];
    input_layers?: unknown;
    output_layers?: unknown;
    [key: string]: unknown;
  };
  keras_version?: string;
  backend?: string;
}

/** Name of the layer the exports put first to take raw 0–255 pixels (the TF.js export's name too). */
export const PIXEL_SCALING_LAYER = INPUT_SCALING_LAYER;

/** Keras `Rescaling(scale, offset)` arguments of a scaling (none for `x`). */
export function rescalingOf(scaling: Scaling): { scale: number; offset: number } | undefined {
  return scaling === 'x' ? undefined : affineOf(scaling);
}

/** The scaling a Rescaling config stands for, or undefined when it is none of ours. */
export function scalingOfRescaling(config: Record<string, unknown>): Scaling | undefined {
  const scale = Number(config.scale);
  const offset = Number(config.offset ?? 0);
  if (Math.abs(scale - 1 / 255) < 1e-9 && offset === 0) return 'x/255';
  if (Math.abs(scale - 1 / 127.5) < 1e-9 && offset === -1) return 'x/127.5-1';
  return undefined;
}

/**
 * A copy of a functional topology that takes raw 0–255 pixels: a `Rescaling` layer named
 * {@link PIXEL_SCALING_LAYER} right after the input applies the base's scaling, and every layer that read the input
 * reads it instead. Scaling `x` returns an unchanged copy.
 */
export function withPixelInput(topology: ModelTopology, scaling: Scaling): ModelTopology {
  const copy = structuredClone(topology);
  const rescale = rescalingOf(scaling);
  if (!rescale) return copy;
  const layers = copy.config.layers;
  const inputIndex = layers.findIndex((l) => l.class_name === 'InputLayer');
  if (inputIndex < 0) throw new Error('The model has no InputLayer to put the pixel scaling after.');
  const inputName = layers[inputIndex]!.name;
  for (const layer of layers)
    layer.inbound_nodes = renameInbound(layer.inbound_nodes, inputName, PIXEL_SCALING_LAYER) as unknown[];
  const entry: LayerEntry = {
    name: PIXEL_SCALING_LAYER,
    class_name: 'Rescaling',
    config: { name: PIXEL_SCALING_LAYER, trainable: false, ...rescale },
    inbound_nodes: [[[inputName, 0, 0, {}]]],
  };
  layers.splice(inputIndex + 1, 0, entry);
  copy.config.output_layers = renameInbound(copy.config.output_layers, inputName, PIXEL_SCALING_LAYER);
  return copy;
}

function renameInbound(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) {
    if (value[0] === from && typeof value[1] === 'number') return [to, ...value.slice(1)];
    return value.map((v) => renameInbound(v, from, to));
  }
  return value;
}

/** tfjs topology → Keras 2 `model_config`: `Functional` class name, `dtype` in every layer config. */
export function toKeras2(topology: ModelTopology): ModelTopology {
  const copy = structuredClone(topology);
  delete copy.keras_version;
  delete copy.backend;
  if (copy.class_name === 'Model') copy.class_name = 'Functional';
  for (const layer of copy.config.layers) {
    layer.config = { ...layer.config, dtype: layer.config.dtype ?? 'float32' };
  }
  return copy;
}

/**
 * Keras 2 `model_config` → a topology `tf.models.modelFromJSON` reads: `Functional` becomes `Model`, and fields
 * tfjs does not know and that have no effect on inference are dropped (`dtype` policies, `ragged`, Conv `groups: 1`).
 * Layer classes tfjs lacks are left for tfjs to refuse with its own message.
 */
export function fromKeras2(modelConfig: ModelTopology): ModelTopology {
  const copy = structuredClone(modelConfig);
  if (copy.class_name === 'Functional') copy.class_name = 'Model';
  for (const layer of copy.config.layers ?? []) {
    const config = { ...layer.config };
    if (typeof config.dtype === 'object' && config.dtype !== null) config.dtype = 'float32';
    delete config.ragged;
    if (config.groups === 1) delete config.groups;
    layer.config = config;
  }
  return copy;
}
