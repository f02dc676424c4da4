import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { wrapKernel } from '../../../../../main/engine/training/wrap-kernel';

describe('wrapKernel', () => {
  it('puts a wrapper in front of a registered kernel once, which can hand calls back to the original', async () => {
    await tf.setBackend('cpu');
    const marker = Symbol('test-wrap');
    const seen: number[][] = [];
    const wrap =
      (original: (args: { inputs: { x: tf.TensorInfo } }) => tf.TensorInfo) =>
      (args: { inputs: { x: tf.TensorInfo } }) => {
        seen.push(args.inputs.x.shape);
        return original(args);
      };
    expect(wrapKernel('Neg', 'cpu', marker, wrap)).toBe(true);
    expect(wrapKernel('Neg', 'cpu', marker, wrap)).toBe(false);
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, -2, 3]);
    const y = tf.neg(x);
    expect(Array.from(y.dataSync())).toEqual([-1, 2, -3]);
    expect(seen).toEqual([[3]]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('does nothing for a kernel the backend does not have', () => {
    expect(wrapKernel('NoSuchKernel', 'cpu', Symbol('x'), (f) => f)).toBe(false);
  });
});
