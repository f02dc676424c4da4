/** Optimizer state never turns subnormal (wasm has no flush-to-zero and slows down on subnormals). */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { FLUSH_EVERY, flushTiny, withStateFlush } from '../../../../../main/engine/training/subnormal-flush';

const MIN_NORMAL = 1.1754944e-38;
const isSubnormal = (value: number) => value !== 0 && Math.abs(value) < MIN_NORMAL;

describe('subnormal flush', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('sets tiny values to 0 and leaves the others untouched', () => {
    const x = tf.tensor1d([1e-39, -1e-39, 5e-31, 2e-30, -0.5, 3, 0, 1.5e-38]);
    const flushed = flushTiny(x);
    const expected = tf.tensor1d([0, 0, 0, 2e-30, -0.5, 3, 0, 0]);
    expect(Array.from(flushed.dataSync(), (v) => (v === 0 ? 0 : v))).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, flushed, expected]);
  });

  it.each([
    ['sgd with momentum', () => tf.train.momentum(0.01, 0.9)],
    ['rmsprop with momentum', () => tf.train.rmsprop(0.01, 0.9, 0.9)],
  ])('keeps %s state normal when a gradient stays 0, and matches the plain optimizer', async (_name, make) => {
    const plain = make();
    const flushing = withStateFlush(make());
    const run = (optimizer: tf.Optimizer, tag: string) => {
      const w = tf.variable(tf.zeros([2]), true, `${tag}-w`);
      tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d([1e-3, 1]) }));
      for (let i = 0; i < 1000; i++)
        tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d([0, i % 2 ? 0.5 : -0.5]) }));
      return w;
    };
    const a = run(plain, `plain${_name}`);
    const b = run(flushing, `flush${_name}`);
    Array.from(b.dataSync()).forEach((v, i) => expect(Math.abs(v - a.dataSync()[i]!)).toBeLessThan(1e-6));
    const state = await flushing.getWeights();
    const values = state.slice(1).flatMap((w) => Array.from(w.tensor.dataSync()));
    expect(values.some(isSubnormal)).toBe(false);
    // The unit whose gradient stayed 0 was flushed to exactly 0 (its plain twin holds a subnormal or a tiny value).
    expect(values.filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(flushing.iterations % FLUSH_EVERY).toBe(1001 % FLUSH_EVERY);
    tf.dispose([state[0]!.tensor, a, b]);
    plain.dispose();
    flushing.dispose();
  });

  it('adds no tensors of its own (tfjs rmsprop itself keeps one after dispose, with or without the flush)', () => {
    const leakOf = (make: () => tf.Optimizer) => {
      const before = tf.memory().numTensors;
      const optimizer = make();
      const w = tf.variable(tf.zeros([3]));
      for (let i = 0; i < 2 * FLUSH_EVERY; i++)
        tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d([0, 0.5, -0.5]) }));
      optimizer.dispose();
      w.dispose();
      return tf.memory().numTensors - before;
    };
    expect(leakOf(() => withStateFlush(tf.train.momentum(0.01, 0.9)))).toBe(leakOf(() => tf.train.momentum(0.01, 0.9)));
    expect(leakOf(() => withStateFlush(tf.train.rmsprop(0.01, 0.9, 0.9)))).toBe(
      leakOf(() => tf.train.rmsprop(0.01, 0.9, 0.9)),
    );
  });
});
