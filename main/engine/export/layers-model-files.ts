/**
 * A tfjs layers model as plain files, changed without rebuilding it in tfjs: read model.json + weights
 * into memory, put one layer between the input and the rest of the graph (the exports' input
 * scaling), and write model.json + weight shards of at most `shardBytes` (tfjs-converter's layout:
 * one weight group, `group1-shard<i>of<n>.bin`, weights may span shards).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../shared/errors';
import { fileSystemLoader } from '../models/io/fs-handler';

/** Largest weight shard the exports write: 4 MiB, as tfjs-converter. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** A model in memory: its topology JSON (Keras `model_config` form), weight specs and one buffer of weights. */
export interface LayersModelFiles {
  topology: Record<string, unknown>;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weights: Uint8Array;
}

/** A Keras layer config as model.json holds it. */
export interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown[];
}

interface GraphConfig {
  name: string;
  layers: LayerJson[];
  input_layers: [string, number, number][];
  output_layers: [string, number, number][];
}

/** Reads `<dir>/model.json` and its weights. */
export async function readLayersModel(dir: string): Promise<LayersModelFiles> {
  const artifacts = await fileSystemLoader(path.join(dir, 'model.json')).load!();
  const data = artifacts.weightData;
  if (!artifacts.modelTopology || !artifacts.weightSpecs || !(data instanceof ArrayBuffer)) {
    throw new StudioError('BAD_INPUT', `The model in ${quote(dir)} has no layers topology or weights.`, { dir });
  }
  return {
    topology: structuredClone(artifacts.modelTopology) as Record<string, unknown>,
    weightSpecs: artifacts.weightSpecs,
    weights: new Uint8Array(data),
  };
}

/** The functional-graph config inside a topology (`model_config.config` or `config`). */
export function graphOf(topology: Record<string, unknown>): GraphConfig {
  const model = (topology['model_config'] ?? topology) as { class_name?: string; config?: GraphConfig };
  const config = model.config;
  if (model.class_name !== 'Model' && model.class_name !== 'Functional') {
    throw new StudioError(
      'UNSUPPORTED',
      `Only functional layers models can be exported, received a ${quote(model.class_name)} model.`,
    );
  }
  if (!config || !Array.isArray(config.layers) || config.input_layers?.length !== 1) {
    throw new StudioError(
      'UNSUPPORTED',
      `Expected a model with exactly one input, received ${quote(config?.input_layers)}.`,
    );
  }
  return config;
}

/** One float32 weight of a layer inserted into the model. */
export interface NewWeight {
  /** Weight name without the layer prefix, e.g. "gamma". */
  name: string;
  values: Float32Array;
}

/**
 * The model with `layer` (class name and config; its `name` is set here) applied to the input first: every
 * layer that read the input now reads `layer`'s output. Its weights are appended to the weights.
 */
export function withInputLayer(
  model: LayersModelFiles,
  layer: { name: string; className: string; config: Record<string, unknown>; weights?: NewWeight[] },
): LayersModelFiles {
  const topology = structuredClone(model.topology);
  const graph = graphOf(topology);
  const input = graph.input_layers[0]![0];
  if (graph.layers.some((entry) => entry.name === layer.name)) {
    throw new StudioError('INTERNAL', `The model already has a layer named ${quote(layer.name)}.`);
  }
  const rewire = (node: unknown): unknown =>
    Array.isArray(node) && node[0] === input && typeof node[1] === 'number'
      ? [layer.name, ...node.slice(1)]
      : Array.isArray(node)
        ? node.map(rewire)
        : node;
  for (const entry of graph.layers) entry.inbound_nodes = entry.inbound_nodes.map(rewire);
  if (graph.output_layers.some(([name]) => name === input)) {
    throw new StudioError('UNSUPPORTED', `The model's output is its input ${quote(input)}; nothing to export.`);
  }
  const inserted: LayerJson = {
    name: layer.name,
    class_name: layer.className,
    config: { ...layer.config, name: layer.name },
    inbound_nodes: [[[input, 0, 0, {}]]],
  };
  const at = graph.layers.findIndex((entry) => entry.name === input) + 1;
  graph.layers.splice(at, 0, inserted);
  const extra = layer.weights ?? [];
  const specs = extra.map((weight) => ({
    name: `${layer.name}/${weight.name}`,
    shape: [weight.values.length],
    dtype: 'float32' as const,
  }));
  const bytes = new Uint8Array(model.weights.byteLength + extra.reduce((n, w) => n + w.values.byteLength, 0));
  bytes.set(model.weights, 0);
  let offset = model.weights.byteLength;
  for (const weight of extra) {
    bytes.set(new Uint8Array(weight.values.buffer, weight.values.byteOffset, weight.values.byteLength), offset);
    offset += weight.values.byteLength;
  }
  return { topology, weightSpecs: [...model.weightSpecs, ...specs], weights: bytes };
}

/** Shard file names of `count` shards: group1-shard1of3.bin … */
export function shardNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
}

/**
 * Writes model.json (topology, weights manifest, `extra` top-level fields) and weight shards of at most
 * `shardBytes` into `dir`; returns the file names written.
 */
export async function writeLayersModel(
  dir: string,
  model: LayersModelFiles,
  options: { shardBytes?: number; extra?: Record<string, unknown> } = {},
): Promise<string[]> {
  const shardBytes = options.shardBytes ?? SHARD_BYTES;
  const count = Math.max(1, Math.ceil(model.weights.byteLength / shardBytes));
  const names = shardNames(count);
  await mkdir(dir, { recursive: true });
  for (const [index, name] of names.entries()) {
    await writeFile(path.join(dir, name), model.weights.subarray(index * shardBytes, (index + 1) * shardBytes));
  }
  const json = {
    format: 'layers-model',
    generatedBy: 'Transfer Studio',
    convertedBy: null,
    ...options.extra,
    modelTopology: model.topology,
    weightsManifest: [{ paths: names, weights: model.weightSpecs }],
  };
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  return ['model.json', ...names];
}
