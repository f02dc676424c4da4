import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { expectSameOutputs, single } from './compare';

const cases = [
  { shape: [8, 8, 3], poolSize: 2, strides: 2, padding: 'valid' as const },
  { shape: [9, 9, 3], poolSize: 3, strides: 2, padding: 'valid' as const },
  { shape: [9, 9, 3], poolSize: 3, strides: 1, padding: 'same' as const },
  { shape: [8, 7, 2], poolSize: 3, strides: 2, padding: 'same' as const }, // uneven "same" pads
  { shape: [7, 7, 4], poolSize: 7, strides: 7, padding: 'valid' as const },
];

describe('pooling', () => {
  for (const c of cases) {
    it(`MaxPooling2D and AveragePooling2D ${JSON.stringify(c)}`, async () => {
      const { shape, ...options } = c;
      await expectSameOutputs(single(tf.layers.maxPooling2d(options), shape));
      // "same" average pooling excludes the padding from the mean, as TF does.
      await expectSameOutputs(single(tf.layers.averagePooling2d(options), shape));
    });
  }
  it('GlobalAveragePooling2D and GlobalMaxPooling2D', async () => {
    await expectSameOutputs(single(tf.layers.globalAveragePooling2d({}), [5, 6, 7]));
    await expectSameOutputs(single(tf.layers.globalMaxPooling2d({}), [5, 6, 7]));
  });
});
