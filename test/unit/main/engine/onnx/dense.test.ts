import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { expectSameOutputs, single } from './compare';

describe('Dense', () => {
  it('Gemm on [N, in], with and without bias', async () => {
    await expectSameOutputs(single(tf.layers.dense({ units: 5, activation: 'relu' }), [9]));
    await expectSameOutputs(single(tf.layers.dense({ units: 3, useBias: false }), [4]));
  });
  it('MatMul + Add on the last axis of a rank-3 and a rank-4 value', async () => {
    await expectSameOutputs(single(tf.layers.dense({ units: 5 }), [3, 4]));
    await expectSameOutputs(single(tf.layers.dense({ units: 5, activation: 'softmax' }), [3, 4, 2]));
  });
});
