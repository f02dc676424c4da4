import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { expectSameOutputs, randomizeWeights, single } from './compare';

function afterConv(layer: tf.layers.Layer, shape: number[]): tf.LayersModel {
  const input = tf.input({ shape });
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 1 }).apply(input);
  const model = tf.model({ inputs: input, outputs: layer.apply(conv) as tf.SymbolicTensor });
  randomizeWeights(model);
  return model;
}

describe('Flatten, Reshape, ZeroPadding2D, Dropout', () => {
  it('Flatten of a spatial value keeps NHWC element order', async () => {
    await expectSameOutputs(afterConv(tf.layers.flatten(), [4, 5, 2]));
    await expectSameOutputs(single(tf.layers.flatten(), [4, 5, 2]));
  });
  it('Reshape to rank 2, 3 and 4 (with -1)', async () => {
    await expectSameOutputs(afterConv(tf.layers.reshape({ targetShape: [60] }), [4, 5, 2]));
    await expectSameOutputs(afterConv(tf.layers.reshape({ targetShape: [20, -1] }), [4, 5, 2]));
    await expectSameOutputs(afterConv(tf.layers.reshape({ targetShape: [5, 4, 3] }), [4, 5, 2]));
    await expectSameOutputs(single(tf.layers.reshape({ targetShape: [2, 3, 2] }), [12]));
  });
  it.each([
    1,
    [2, 1],
    [
      [0, 1],
      [2, 0],
    ],
  ])('ZeroPadding2D %j', async (padding) => {
    await expectSameOutputs(single(tf.layers.zeroPadding2d({ padding: padding as never }), [4, 5, 3]));
  });
  it('Dropout is the identity at inference', async () => {
    await expectSameOutputs(single(tf.layers.dropout({ rate: 0.5 }), [7]));
  });
});
