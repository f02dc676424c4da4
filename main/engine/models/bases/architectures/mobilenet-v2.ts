/**
 * MobileNetV2 as `keras.applications.MobileNetV2(alpha=…, include_top=False, weights=None)` defines it (tf.keras
 * 2.x): same layer names, order and settings, so `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_<alpha>_<size>
 * _no_top.h5` fits it layer by layer. Input 224×224 (keras.applications also ships 96/128/160/192), pixels scaled
 * x/127.5 − 1 (`keras.applications.mobilenet_v2.preprocess_input`).
 */
import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;

/** The width multipliers keras.applications ships weights for. */
export const MOBILENET_V2_ALPHAS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4] as const;

/** keras.applications' `_make_divisible(v, 8)`. */
export function makeDivisible(v: number, divisor = 8): number {
  let n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

/** [filters, stride, expansion] of blocks 0-16. */
const BLOCKS: [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

const bn = (x: T, name: string): T =>
  tf.layers.batchNormalization({ axis: 3, epsilon: 1e-3, momentum: 0.999, name }).apply(x) as T;
const relu6 = (x: T, name: string): T => tf.layers.reLU({ maxValue: 6, name }).apply(x) as T;
const conv1x1 = (x: T, filters: number, name: string): T =>
  tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name }).apply(x) as T;

function invertedResBlock(inputs: T, filters: number, stride: number, expansion: number, alpha: number, id: number) {
  const inChannels = inputs.shape[3]!;
  const pointwise = makeDivisible(Math.trunc(filters * alpha));
  let x = inputs;
  let prefix = `block_${id}_`;
  if (id) {
    x = relu6(bn(conv1x1(x, expansion * inChannels, `${prefix}expand`), `${prefix}expand_BN`), `${prefix}expand_relu`);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) {
    // imagenet_utils.correct_pad(x, 3): one more row/column after than before on even sizes.
    const adjust = [1 - (x.shape[1]! % 2), 1 - (x.shape[2]! % 2)];
    x = tf.layers
      .zeroPadding2d({
        padding: [
          [1 - adjust[0]!, 1],
          [1 - adjust[1]!, 1],
        ],
        name: `${prefix}pad`,
      })
      .apply(x) as T;
  }
  x = tf.layers
    .depthwiseConv2d({
      kernelSize: 3,
      strides: stride,
      useBias: false,
      padding: stride === 1 ? 'same' : 'valid',
      name: `${prefix}depthwise`,
    })
    .apply(x) as T;
  x = relu6(bn(x, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
  x = bn(conv1x1(x, pointwise, `${prefix}project`), `${prefix}project_BN`);
  if (inChannels === pointwise && stride === 1) return tf.layers.add({ name: `${prefix}add` }).apply([inputs, x]) as T;
  return x;
}

/**
 * Builds MobileNetV2 without its top (output: out_relu, [null, S/32, S/32, 1280 or more]), with random weights.
 * @param alpha width multiplier. Default: 1.0.
 * @param inputSize input side. Default: 224.
 */
export function buildMobileNetV2(alpha = 1.0, inputSize = 224): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input_1' });
  const first = makeDivisible(32 * alpha);
  let x = tf.layers
    .conv2d({ filters: first, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' })
    .apply(input) as T;
  x = relu6(bn(x, 'bn_Conv1'), 'Conv1_relu');
  BLOCKS.forEach(([filters, stride, expansion], id) => {
    x = invertedResBlock(x, filters, stride, expansion, alpha, id);
  });
  const last = alpha > 1.0 ? makeDivisible(1280 * alpha) : 1280;
  x = tf.layers.conv2d({ filters: last, kernelSize: 1, useBias: false, name: 'Conv_1' }).apply(x) as T;
  x = relu6(bn(x, 'Conv_1_bn'), 'out_relu');
  return tf.model({ inputs: input, outputs: x, name: `mobilenetv2_${alpha.toFixed(2)}_${inputSize}` });
}
