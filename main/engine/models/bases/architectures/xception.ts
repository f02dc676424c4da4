/**
 * Xception as `keras.applications.Xception(include_top=False, weights=None)` defines it (Keras 2 / tf.keras 2.x):
 * the same layers, layer names, order and settings, so a keras.applications weights file
 * (`xception_weights_tf_dim_ordering_tf_kernels_notop.h5`) fits it layer by layer. Input 299×299 (at least 71),
 * pixels scaled x/127.5 − 1 (`keras.applications.xception.preprocess_input`). The four residual 1×1 convolutions
 * and their batch norms are unnamed in Keras (`conv2d`, `batch_normalization`, … or `conv2d_1`, … in older files);
 * they get those names here and are matched by order (see ./set-weights.ts).
 */
import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;

/** Layer names Keras gives the unnamed residual convolutions / batch norms, in order (tf.keras 2.x naming). */
export const XCEPTION_RESIDUALS = [0, 1, 2, 3].map((k) => ({
  conv: k === 0 ? 'conv2d' : `conv2d_${k}`,
  bn: k === 0 ? 'batch_normalization' : `batch_normalization_${k}`,
}));

const bn = (x: T, name: string): T => tf.layers.batchNormalization({ axis: 3, epsilon: 1e-3, name }).apply(x) as T;
const relu = (x: T, name: string): T => tf.layers.activation({ activation: 'relu', name }).apply(x) as T;
const sep = (x: T, filters: number, name: string): T =>
  tf.layers.separableConv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name }).apply(x) as T;
const pool = (x: T, name: string): T =>
  tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name }).apply(x) as T;
const add = (a: T, b: T, name: string): T => tf.layers.add({ name }).apply([a, b]) as T;

function residual(x: T, filters: number, k: number): T {
  const names = XCEPTION_RESIDUALS[k]!;
  const r = tf.layers
    .conv2d({ filters, kernelSize: 1, strides: 2, padding: 'same', useBias: false, name: names.conv })
    .apply(x) as T;
  return bn(r, names.bn);
}

/**
 * Builds Xception without its top (output: block14_sepconv2_act, [null, S', S', 2048]), with random weights.
 * @param inputSize input side. Default: 299 (keras.applications' size; at least 71).
 */
export function buildXception(inputSize = 299): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input_1' });
  let x = tf.layers
    .conv2d({ filters: 32, kernelSize: 3, strides: 2, useBias: false, name: 'block1_conv1' })
    .apply(input) as T;
  x = relu(bn(x, 'block1_conv1_bn'), 'block1_conv1_act');
  x = tf.layers.conv2d({ filters: 64, kernelSize: 3, useBias: false, name: 'block1_conv2' }).apply(x) as T;
  x = relu(bn(x, 'block1_conv2_bn'), 'block1_conv2_act');

  // Entry flow: blocks 2-4, each halving the size with a strided 1×1 residual.
  let addK = 0;
  const entry: [number, number][] = [
    [2, 128],
    [3, 256],
    [4, 728],
  ];
  for (const [block, filters] of entry) {
    const r = residual(x, filters, block - 2);
    const p = `block${block}`;
    if (block > 2) x = relu(x, `${p}_sepconv1_act`);
    x = bn(sep(x, filters, `${p}_sepconv1`), `${p}_sepconv1_bn`);
    x = relu(x, `${p}_sepconv2_act`);
    x = bn(sep(x, filters, `${p}_sepconv2`), `${p}_sepconv2_bn`);
    x = add(pool(x, `${p}_pool`), r, addName(addK++));
  }

  // Middle flow: blocks 5-12, identity residuals.
  for (let block = 5; block <= 12; block++) {
    const r = x;
    const p = `block${block}`;
    for (const k of [1, 2, 3]) {
      x = relu(x, `${p}_sepconv${k}_act`);
      x = bn(sep(x, 728, `${p}_sepconv${k}`), `${p}_sepconv${k}_bn`);
    }
    x = add(x, r, addName(addK++));
  }

  // Exit flow.
  const r = residual(x, 1024, 3);
  x = relu(x, 'block13_sepconv1_act');
  x = bn(sep(x, 728, 'block13_sepconv1'), 'block13_sepconv1_bn');
  x = relu(x, 'block13_sepconv2_act');
  x = bn(sep(x, 1024, 'block13_sepconv2'), 'block13_sepconv2_bn');
  x = add(pool(x, 'block13_pool'), r, addName(addK));
  x = relu(bn(sep(x, 1536, 'block14_sepconv1'), 'block14_sepconv1_bn'), 'block14_sepconv1_act');
  x = relu(bn(sep(x, 2048, 'block14_sepconv2'), 'block14_sepconv2_bn'), 'block14_sepconv2_act');
  return tf.model({ inputs: input, outputs: x, name: 'xception' });
}

function addName(k: number): string {
  return k === 0 ? 'add' : `add_${k}`;
}
