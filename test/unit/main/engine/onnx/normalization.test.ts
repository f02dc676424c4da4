import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { expectSameOutputs, single } from './compare';

describe('BatchNormalization (moving statistics, Keras epsilon) and Rescaling', () => {
  it.each([
    { shape: [5, 4, 3], options: {} },
    { shape: [5, 4, 3], options: { epsilon: 0.1 } },
    { shape: [5, 4, 3], options: { scale: false } },
    { shape: [5, 4, 3], options: { center: false, epsilon: 1e-5 } },
    { shape: [8], options: { epsilon: 0.01 } },
    { shape: [3, 6], options: {} },
  ])('$shape $options', async ({ shape, options }) => {
    await expectSameOutputs(single(tf.layers.batchNormalization(options), shape));
  });
  it('after a conv (NCHW input)', async () => {
    const input = tf.input({ shape: [6, 6, 3] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(input);
    const out = tf.layers.batchNormalization({ epsilon: 0.001 }).apply(conv) as tf.SymbolicTensor;
    const { randomizeWeights } = await import('./compare');
    const model = tf.model({ inputs: input, outputs: out });
    randomizeWeights(model);
    await expectSameOutputs(model);
  });
  it('Rescaling', async () => {
    await expectSameOutputs(single(tf.layers.rescaling({ scale: 1 / 127.5, offset: -1 }), [4, 4, 3]));
  });
});
