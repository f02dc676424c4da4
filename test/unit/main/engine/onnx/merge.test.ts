import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { expectSameOutputs, randomizeWeights } from './compare';

function twoBranches(
  merge: (a: tf.SymbolicTensor, b: tf.SymbolicTensor) => tf.SymbolicTensor,
  shape: number[],
): tf.LayersModel {
  const input = tf.input({ shape });
  const conv = (f: number) =>
    shape.length === 3
      ? (tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor)
      : (tf.layers.dense({ units: f }).apply(input) as tf.SymbolicTensor);
  const model = tf.model({ inputs: input, outputs: merge(conv(4), conv(4)) });
  randomizeWeights(model);
  return model;
}

describe('merge layers', () => {
  for (const shape of [[5, 6, 3], [6]]) {
    it(`Add, Subtract, Multiply, Average, Maximum, Minimum on ${shape.join('×')}`, async () => {
      await expectSameOutputs(twoBranches((a, b) => tf.layers.add().apply([a, b]) as tf.SymbolicTensor, shape));
      await expectSameOutputs(twoBranches((a, b) => tf.layers.add().apply([a, b, a]) as tf.SymbolicTensor, shape));
      await expectSameOutputs(twoBranches((a, b) => tf.layers.multiply().apply([a, b, b]) as tf.SymbolicTensor, shape));
      await expectSameOutputs(twoBranches((a, b) => tf.layers.average().apply([a, b]) as tf.SymbolicTensor, shape));
      await expectSameOutputs(twoBranches((a, b) => tf.layers.maximum().apply([a, b]) as tf.SymbolicTensor, shape));
      await expectSameOutputs(twoBranches((a, b) => tf.layers.minimum().apply([a, b]) as tf.SymbolicTensor, shape));
    });
  }
  it('Concatenate on the channel axis (-1 and 3) and on height / width of NHWC values', async () => {
    for (const axis of [-1, 3, 1, 2]) {
      await expectSameOutputs(
        twoBranches((a, b) => tf.layers.concatenate({ axis }).apply([a, b]) as tf.SymbolicTensor, [5, 6, 3]),
      );
    }
    await expectSameOutputs(twoBranches((a, b) => tf.layers.concatenate({}).apply([a, b]) as tf.SymbolicTensor, [6]));
  });
});
