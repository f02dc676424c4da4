import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { expectSameOutputs, single } from './compare';

type Padding = 'same' | 'valid';
const cases: { shape: number[]; kernel: number; strides: number; padding: Padding; dilation: number }[] = [
  { shape: [9, 9, 3], kernel: 3, strides: 1, padding: 'same', dilation: 1 },
  { shape: [8, 8, 4], kernel: 3, strides: 2, padding: 'same', dilation: 1 }, // even size: TF puts the odd pixel at the end
  { shape: [7, 10, 2], kernel: 3, strides: 2, padding: 'valid', dilation: 1 },
  { shape: [11, 11, 3], kernel: 3, strides: 1, padding: 'same', dilation: 2 },
  { shape: [10, 9, 5], kernel: 5, strides: 3, padding: 'same', dilation: 1 },
  { shape: [6, 6, 3], kernel: 1, strides: 1, padding: 'valid', dilation: 1 },
];

describe('Conv2D → Conv', () => {
  for (const c of cases) {
    it(`kernel ${c.kernel} stride ${c.strides} ${c.padding} dilation ${c.dilation} on ${c.shape.join('×')}`, async () => {
      const layer = tf.layers.conv2d({
        filters: 6,
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        dilationRate: c.dilation,
        activation: 'relu',
      });
      await expectSameOutputs(single(layer, c.shape));
    });
  }
  it('without bias, linear, non-square kernel', async () => {
    await expectSameOutputs(
      single(tf.layers.conv2d({ filters: 4, kernelSize: [3, 1], padding: 'same', useBias: false }), [5, 6, 3]),
    );
  });
});

describe('DepthwiseConv2D → Conv with group = channels', () => {
  for (const c of cases) {
    if (c.dilation > 1) continue; // see below
    it(`kernel ${c.kernel} stride ${c.strides} ${c.padding} dilation ${c.dilation} on ${c.shape.join('×')}`, async () => {
      const layer = tf.layers.depthwiseConv2d({
        kernelSize: c.kernel,
        strides: c.strides,
        padding: c.padding,
        dilationRate: c.dilation,
        useBias: true,
      });
      await expectSameOutputs(single(layer, c.shape));
    });
  }
  it('dilationRate is ignored, as tfjs 4.22 ignores it for this layer', async () => {
    await expectSameOutputs(
      single(tf.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, padding: 'same' }), [9, 9, 3]),
    );
  });
  it('depth multiplier 2 (output channel c·M + m)', async () => {
    await expectSameOutputs(
      single(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), [6, 6, 3]),
    );
  });
});

describe('SeparableConv2D → depthwise Conv + pointwise Conv', () => {
  it.each([
    { strides: 1, padding: 'same' as Padding, depthMultiplier: 1 },
    { strides: 2, padding: 'same' as Padding, depthMultiplier: 2 },
    { strides: 1, padding: 'valid' as Padding, depthMultiplier: 1 },
    { strides: 1, padding: 'same' as Padding, depthMultiplier: 1, dilationRate: 2 },
  ])('%o', async ({ strides, padding, depthMultiplier, dilationRate }) => {
    const options = { filters: 5, kernelSize: 3, strides, padding, depthMultiplier, dilationRate: dilationRate ?? 1 };
    const layer = tf.layers.separableConv2d({ ...options, activation: 'relu6' as never });
    await expectSameOutputs(single(layer, [8, 7, 3]));
  });
});
