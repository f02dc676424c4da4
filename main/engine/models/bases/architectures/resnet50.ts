/**
 * ResNet50 as `keras.applications.ResNet50(include_top=False, weights=None)` defines it (tf.keras 2.x naming:
 * `conv1_conv`, `conv2_block1_1_conv`, …), so `resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5` from
 * keras-applications/resnet/ fits it layer by layer (the 2017 Keras 2.0 file with `res2a_branch2a` names does not).
 * Input 224×224. Its preprocessing is caffe-style (RGB → BGR, minus the ImageNet channel means), which is none of
 * the app's scalings, so it is built into the model as one fixed 1×1 convolution ({@link CAFFE_LAYER}, not trained,
 * not in the file): the model takes raw 0–255 RGB pixels (scaling `x`).
 */
import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;

/** The fixed layer doing keras.applications.resnet50.preprocess_input (caffe mode) inside the model. */
export const CAFFE_LAYER = 'ts_caffe_preprocess';
/** ImageNet channel means in BGR order, as keras.applications' caffe preprocessing subtracts them. */
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];

const bn = (x: T, name: string): T => tf.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name }).apply(x) as T;
const relu = (x: T, name: string): T => tf.layers.activation({ activation: 'relu', name }).apply(x) as T;
const conv = (
  x: T,
  filters: number,
  kernelSize: number,
  name: string,
  strides = 1,
  padding: 'same' | 'valid' = 'valid',
) => tf.layers.conv2d({ filters, kernelSize, strides, padding, name }).apply(x) as T;

function block(x: T, filters: number, stride: number, convShortcut: boolean, name: string): T {
  const shortcut = convShortcut ? bn(conv(x, 4 * filters, 1, `${name}_0_conv`, stride), `${name}_0_bn`) : x;
  let y = relu(bn(conv(x, filters, 1, `${name}_1_conv`, stride), `${name}_1_bn`), `${name}_1_relu`);
  y = relu(bn(conv(y, filters, 3, `${name}_2_conv`, 1, 'same'), `${name}_2_bn`), `${name}_2_relu`);
  y = bn(conv(y, 4 * filters, 1, `${name}_3_conv`), `${name}_3_bn`);
  return relu(tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as T, `${name}_out`);
}

function stack(x: T, filters: number, blocks: number, stride: number, name: string): T {
  let y = block(x, filters, stride, true, `${name}_block1`);
  for (let k = 2; k <= blocks; k++) y = block(y, filters, 1, false, `${name}_block${k}`);
  return y;
}

/** RGB 0–255 → BGR minus the ImageNet means, as a fixed, non-trainable 1×1 convolution. */
function caffePreprocess(x: T): T {
  const layer = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: CAFFE_LAYER, trainable: false });
  const out = layer.apply(x) as T;
  const kernel = tf.tidy(() => {
    const k = new Float32Array(9);
    for (let o = 0; o < 3; o++) k[(2 - o) * 3 + o] = 1; // input channel 2 − o → output channel o
    return tf.tensor4d(k, [1, 1, 3, 3]);
  });
  const bias = tf.tensor1d(CAFFE_MEAN_BGR.map((m) => -m));
  layer.setWeights([kernel, bias]);
  tf.dispose([kernel, bias]);
  return out;
}

/**
 * Builds ResNet50 without its top (output: conv5_block3_out, [null, S/32, S/32, 2048]), with random weights, taking
 * raw 0–255 RGB pixels (its caffe preprocessing is the first layer).
 * @param inputSize input side. Default: 224 (at least 32).
 */
export function buildResNet50(inputSize = 224): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input_1' });
  let x = caffePreprocess(input);
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: 'conv1_pad',
    })
    .apply(x) as T;
  x = relu(bn(conv(x, 64, 7, 'conv1_conv', 2), 'conv1_bn'), 'conv1_relu');
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pool1_pad',
    })
    .apply(x) as T;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as T;
  x = stack(x, 64, 3, 1, 'conv2');
  x = stack(x, 128, 4, 2, 'conv3');
  x = stack(x, 256, 6, 2, 'conv4');
  x = stack(x, 512, 3, 2, 'conv5');
  return tf.model({ inputs: input, outputs: x, name: 'resnet50' });
}
