/**
 * Baking T into the output Dense (kernel and bias ÷ T) gives what applying T to the logits gives (≤ 1e-6),
 * multiplying them back gives the raw model; heads that do not end in Dense(softmax) are refused with the
 * reason; no tensor leaks.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  bakeTemperature,
  softmaxOutputOf,
  unbakeTemperature,
} from '../../../../../main/engine/evaluate/temperature-bake';
import { temper } from '../../../../../main/engine/evaluate/temperature';

function classifier(activation: 'softmax' | 'sigmoid' | 'linear' = 'softmax'): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 6,
      activation: 'relu',
      inputShape: [5],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.add(
    tf.layers.dense({
      units: 4,
      activation,
      name: 'predictions',
      kernelInitializer: tf.initializers.randomNormal({ stddev: 2, seed: 2 }),
      biasInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 3 }),
    }),
  );
  return model;
}

function predictRows(model: tf.LayersModel, x: tf.Tensor): number[][] {
  const y = model.predict(x) as tf.Tensor;
  try {
    return y.arraySync() as number[][];
  } finally {
    y.dispose();
  }
}

describe('bakeTemperature', () => {
  it('scaling the output Dense by 1/T equals softmax(log p / T) to 1e-6; unbaking gives the raw model back', () => {
    const before = tf.memory().numTensors;
    const model = classifier();
    const x = tf.randomNormal([16, 5], 0, 2, 'float32', 7);
    const raw = predictRows(model, x);
    expect(bakeTemperature(model, 1.7)).toBe('predictions');
    const baked = predictRows(model, x);
    let worst = 0;
    raw.forEach((row, r) => temper(row, 1.7).forEach((p, i) => (worst = Math.max(worst, Math.abs(p - baked[r]![i]!)))));
    expect(worst).toBeLessThanOrEqual(1e-6);
    // Softer: the top probability went down for every row whose top was above uniform.
    raw.forEach((row, r) => expect(Math.max(...baked[r]!)).toBeLessThanOrEqual(Math.max(...row) + 1e-7));
    unbakeTemperature(model, 1.7);
    const back = predictRows(model, x);
    raw.forEach((row, r) => row.forEach((p, i) => expect(Math.abs(p - back[r]![i]!)).toBeLessThanOrEqual(1e-6)));
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses sigmoid and linear outputs and a last layer that is not Dense, with the reason', () => {
    for (const activation of ['sigmoid', 'linear'] as const) {
      const model = classifier(activation);
      const found = softmaxOutputOf(model);
      expect('reason' in found && found.reason).toContain(`has activation "${activation}"`);
      expect(() => bakeTemperature(model, 2)).toThrow('temperature scaling needs softmax probabilities');
      model.dispose();
    }
    const model = classifier();
    model.add(tf.layers.activation({ activation: 'linear', name: 'after' }));
    expect(softmaxOutputOf(model)).toEqual({ reason: 'its last layer "after" is Activation, not Dense' });
    model.dispose();
  });

  it('quotes a temperature that is not positive', () => {
    const model = classifier();
    expect(() => bakeTemperature(model, 0)).toThrow('Expected a temperature > 0, received 0.');
    expect(() => unbakeTemperature(model, Number.NaN)).toThrow('received null');
    model.dispose();
  });
});
