/**
 * disposeModels on a real base + head + classifier sharing layers, trained one step so the optimizer holds
 * slot variables: every shared weight is disposed once, the optimizer is disposed, no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { disposeModels } from '../../../../../main/engine/models/dispose-models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A dense base (4 → 3) and a head (3 → 2), plus the classifier that chains the very same layers. */
function sharedModels(): { base: tf.LayersModel; head: tf.LayersModel; full: tf.LayersModel } {
  const input = tf.input({ shape: [4] });
  const baseLayer = tf.layers.dense({ units: 3, activation: 'relu' });
  const feature = baseLayer.apply(input) as tf.SymbolicTensor;
  const base = tf.model({ inputs: input, outputs: feature });
  const headInput = tf.input({ shape: [3] });
  const headLayer = tf.layers.dense({ units: 2, activation: 'softmax' });
  const head = tf.model({ inputs: headInput, outputs: headLayer.apply(headInput) as tf.SymbolicTensor });
  const full = tf.model({ inputs: input, outputs: headLayer.apply(feature) as tf.SymbolicTensor });
  return { base, head, full };
}

describe('disposeModels', () => {
  it('disposes shared weights once and the optimizers, back to the tensor baseline', async () => {
    const before = tf.memory().numTensors;
    const { base, head, full } = sharedModels();
    full.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor2d([
      [1, 0, 0, 1],
      [0, 1, 1, 0],
    ]);
    const ys = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    await full.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
    xs.dispose();
    ys.dispose();
    expect(tf.memory().numTensors).toBeGreaterThan(before);

    const weights = new Set([...base.weights, ...head.weights, ...full.weights]);
    expect(weights.size).toBe(4);
    const spies = [...weights].map((weight) => vi.spyOn(weight, 'dispose'));
    const optimizerDispose = vi.spyOn(full.optimizer, 'dispose');

    disposeModels([base, undefined, head, full]);

    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
    expect(optimizerDispose).toHaveBeenCalledTimes(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('skips a weight already disposed elsewhere', () => {
    const before = tf.memory().numTensors;
    const { base, head, full } = sharedModels();
    base.weights[0]!.dispose();
    expect(() => disposeModels([base, head, full])).not.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
