/**
 * The tfjs head builder against the shared table of layer kinds: every kind builds, and the summary's
 * kinds, shapes and parameter counts equal both tfjs's and the table's own rules.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleModel, buildHead, summarize } from '../../../../../main/engine/models';
import { HEAD_LAYER_BUILDERS } from '../../../../../main/engine/models/head-layer-builders';
import { StudioError } from '../../../../../shared/errors';
import { HEAD_LAYER_KINDS, kindOf, parseHeadString, traceHead, type HeadSpec } from '../../../../../shared/layer-spec';

const models: tf.LayersModel[] = [];
let tensorsBefore = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  tensorsBefore = tf.memory().numTensors;
});

afterAll(() => {
  for (const model of models) model.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

/** A tiny conv base whose feature is a 6 × 6 × 4 map. */
function spatialBase(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'image' });
  const output = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'base' });
}

/** Builds `head` on the spatial base and checks its head rows against tfjs and the table. */
function expectHeadMatchesTable(head: HeadSpec, classes: number): string[] {
  const base = spatialBase();
  const headModel = buildHead(head, [6, 6, 4], classes);
  const model = assembleModel(base, headModel);
  models.push(model, headModel); // disposing both frees the base's layers too (tfjs counts owners)
  const rows = summarize(model).rows.filter((row) => row.part === 'head');
  const trace = traceHead(head.layers, [6, 6, 4]);
  const hidden = rows.slice(0, -1);
  expect(hidden).toHaveLength(head.layers.length);
  hidden.forEach((row, i) => {
    const layer = model.getLayer(row.name);
    expect(row.kind).toBe(kindOf(head.layers[i]!).label); // the table's label is the Keras/tfjs class name
    expect(row.outputShape).toEqual([null, ...trace.layers[i]!.output]);
    expect(row.params).toBe(layer.countParams());
    expect(row.params).toBe(trace.layers[i]!.params);
  });
  expect(rows.at(-1)).toMatchObject({
    name: 'predictions',
    kind: 'Dense',
    outputShape: [null, classes],
    params: (trace.output[0]! + 1) * classes,
  });
  return head.layers.map((l) => l.kind);
}

describe('head builder', () => {
  it('has a builder for every kind in the table', () => {
    expect(Object.keys(HEAD_LAYER_BUILDERS).sort()).toEqual(HEAD_LAYER_KINDS.map((k) => k.kind).sort());
  });

  it('builds every kind; summary shapes and params equal tfjs and the table', () => {
    const built = new Set([
      ...expectHeadMatchesTable(parseHeadString('gap,dense:8:relu,batchnorm,dropout:0.3,activation:tanh'), 3),
      ...expectHeadMatchesTable(parseHeadString('batchnorm,dense:5:gelu:mix,flatten,dense:7'), 2),
    ]);
    expect([...built].sort()).toEqual(HEAD_LAYER_KINDS.map((k) => k.kind).sort());
  });

  it('refuses a kind that cannot follow a flat feature, in a sentence', () => {
    let caught: unknown;
    try {
      buildHead(parseHeadString('gap'), [1280], 2);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StudioError);
    expect((caught as StudioError).code).toBe('BAD_INPUT');
    expect((caught as StudioError).message).toBe(
      'Invalid head: layer 0 (globalAveragePooling2d): ' +
        'GlobalAveragePooling2D needs a spatial feature map (height × width × channels), ' +
        'but the base gives a flat feature of 1,280 values; remove it or pick a base cut at a spatial layer.',
    );
  });
});
