import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { SUPPORTED_ACTIVATIONS } from '../../../../../main/engine/onnx/ops/activation';
import { expectSameOutputs, single } from './compare';

describe('activations', () => {
  for (const activation of SUPPORTED_ACTIVATIONS) {
    it(`${activation} on rank 2 and on a rank-4 (NCHW inside the graph) value`, async () => {
      await expectSameOutputs(single(tf.layers.dense({ units: 7, activation: activation as never }), [5]));
      // A conv puts the value in NCHW; softmax must still run over the channels.
      await expectSameOutputs(
        single(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: activation as never }), [5, 6, 3]),
      );
    });
  }
  it('Activation, ReLU (with and without maxValue), LeakyReLU, ELU and Softmax layers', async () => {
    await expectSameOutputs(single(tf.layers.activation({ activation: 'relu6' }), [4, 4, 3]));
    await expectSameOutputs(single(tf.layers.reLU({ maxValue: 6 }), [4, 4, 3]));
    await expectSameOutputs(single(tf.layers.reLU({}), [6]));
    await expectSameOutputs(single(tf.layers.leakyReLU({ alpha: 0.1 }), [6]));
    await expectSameOutputs(single(tf.layers.elu({}), [6]));
    await expectSameOutputs(single(tf.layers.softmax({}), [6]));
  });
});
