/** LeanAdamOptimizer gives tfjs Adam's updates and state (so checkpoints of either load into either), and frees its temporaries. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { LeanAdamOptimizer } from '../../../../../main/engine/training/lean-adam';
import { FLUSH_EVERY, TINY } from '../../../../../main/engine/training/subnormal-flush';
import { createRandom } from '../../../../../main/engine/training/seed';

const values = (n: number, seed: number) => {
  const r = createRandom(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};

/** Runs `steps` updates of `optimizer` on two variables with fixed pseudo-random gradients; returns the values and the optimizer state. */
async function run(optimizer: tf.Optimizer, steps: number, tag: string) {
  const a = tf.variable(tf.tensor2d(values(12, 1), [4, 3]), true, `${tag}/a`);
  const b = tf.variable(tf.tensor1d(values(3, 2)), true, `${tag}/b`);
  for (let s = 0; s < steps; s++) {
    tf.tidy(() =>
      optimizer.applyGradients({
        [a.name]: tf.tensor2d(values(12, 10 + s), [4, 3]),
        [b.name]: tf.tensor1d(values(3, 50 + s)),
      }),
    );
  }
  const state = await optimizer.getWeights();
  const out = {
    a: Array.from(a.dataSync()),
    b: Array.from(b.dataSync()),
    state: state.map((w) => ({ name: w.name.replace(`${tag}/`, ''), values: Array.from(w.tensor.dataSync()) })),
  };
  tf.dispose([a, b, state[0]!.tensor]); // getWeights' 'iter' scalar is a fresh tensor
  return out;
}

const close = (x: number[], y: number[]) =>
  x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(y[i]!))));

describe('LeanAdamOptimizer', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('matches tf.train.adam step for step, with the same named state', async () => {
    const reference = tf.train.adam(0.01);
    const lean = new LeanAdamOptimizer(0.01);
    const expected = await run(reference, 7, 'ref');
    const actual = await run(lean, 7, 'lean');
    expect(lean.getClassName()).toBe('Adam');
    close(actual.a, expected.a);
    close(actual.b, expected.b);
    expect(actual.state.map((s) => s.name)).toEqual(expected.state.map((s) => s.name));
    actual.state.forEach((s, i) => close(s.values, expected.state[i]!.values));
    reference.dispose();
    lean.dispose();
  });

  it('still matches tf.train.adam across flush steps', async () => {
    const reference = tf.train.adam(0.01);
    const lean = new LeanAdamOptimizer(0.01);
    const steps = 2 * FLUSH_EVERY + 3;
    const expected = await run(reference, steps, 'ref2');
    const actual = await run(lean, steps, 'lean2');
    close(actual.a, expected.a);
    close(actual.b, expected.b);
    reference.dispose();
    lean.dispose();
  });

  it('never lets the moments of weights whose gradient stays 0 become subnormal (wasm slows down 2× on them)', () => {
    const lean = new LeanAdamOptimizer(0.01);
    const w = tf.variable(tf.zeros([2]), true, 'dead-unit');
    // One real gradient, then zeros: m decays by 0.9 per step and would pass 1.2e-38 after ~800 steps.
    tf.tidy(() => lean.applyGradients({ [w.name]: tf.tensor1d([1e-3, 1]) }));
    for (let i = 0; i < 1000; i++) tf.tidy(() => lean.applyGradients({ [w.name]: tf.zeros([2]) }));
    const moments = lean as unknown as {
      accumulatedFirstMoment: { variable: tf.Variable }[];
      accumulatedSecondMoment: { variable: tf.Variable }[];
    };
    for (const value of [
      ...moments.accumulatedFirstMoment[0]!.variable.dataSync(),
      ...moments.accumulatedSecondMoment[0]!.variable.dataSync(),
    ]) {
      const subnormal = value !== 0 && Math.abs(value) < 1.1754944e-38;
      expect(subnormal, `moment ${value}`).toBe(false);
    }
    expect(moments.accumulatedFirstMoment[0]!.variable.dataSync()[0]).toBe(0);
    expect(TINY).toBeGreaterThan(1.1754944e-38);
    lean.dispose();
    w.dispose();
  });

  it('keeps only its moments: no tensors left over per step', () => {
    const lean = new LeanAdamOptimizer(0.01);
    const w = tf.variable(tf.zeros([5, 2]));
    const step = () => tf.tidy(() => lean.applyGradients({ [w.name]: tf.ones([5, 2]) }));
    step();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(after1);
    lean.dispose();
    w.dispose();
  });

  it('continues exactly like tfjs Adam after its state is restored (resume from a checkpoint)', async () => {
    const source = tf.train.adam(0.01);
    await run(source, 3, 'src');
    const state = await source.getWeights();
    const lean = new LeanAdamOptimizer(0.01);
    await lean.setWeights(state.map((w) => ({ name: w.name.replace('src/', 'lean2/'), tensor: w.tensor.clone() })));
    const reference = tf.train.adam(0.01);
    await reference.setWeights(state.map((w) => ({ name: w.name.replace('src/', 'ref2/'), tensor: w.tensor.clone() })));
    expect(lean.iterations).toBe(3);
    const ours = await run(lean, 2, 'lean2');
    const theirs = await run(reference, 2, 'ref2');
    close(ours.a, theirs.a);
    close(ours.b, theirs.b);
    tf.dispose(state.map((w) => w.tensor));
    [source, lean, reference].forEach((o) => o.dispose());
  });
});
