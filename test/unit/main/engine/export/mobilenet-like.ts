/**
 * Test models shaped like keras.applications MobileNetV2 (Conv/BN/ReLU6 stem, an inverted-residual block with
 * DepthwiseConv2D and Add, `out_relu`), optionally with a classifier head (GAP → Dense → Dense softmax).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * A MobileNetV2-shaped model with non-trivial BN statistics.
 * @param size input side. Default: 16.
 * @param options.head false: stop at `out_relu` (like `include_top=False`, no pooling). Default: true.
 */
export function mobileNetLike(size = 16, options: { head?: boolean } = {}): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: 'input_1' });
  const conv = (x: tf.SymbolicTensor, filters: number, name: string, strides = 1) =>
    tf.layers
      .conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, name })
      .apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.batchNormalization({ epsilon: 1e-3, name }).apply(x) as tf.SymbolicTensor;
  const relu6 = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.reLU({ maxValue: 6, name }).apply(x) as tf.SymbolicTensor;
  let x = relu6(bn(conv(input, 8, 'Conv1', 2), 'bn_Conv1'), 'Conv1_relu');
  const shortcut = x;
  let y = tf.layers
    .depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'block_1_depthwise' })
    .apply(x) as tf.SymbolicTensor;
  y = relu6(bn(y, 'block_1_depthwise_BN'), 'block_1_depthwise_relu');
  y = tf.layers
    .conv2d({ filters: 8, kernelSize: 1, useBias: false, name: 'block_1_project' })
    .apply(y) as tf.SymbolicTensor;
  y = bn(y, 'block_1_project_BN');
  x = tf.layers.add({ name: 'block_1_add' }).apply([shortcut, y]) as tf.SymbolicTensor;
  x = relu6(bn(conv(x, 12, 'Conv_1'), 'Conv_1_bn'), 'out_relu');
  if (options.head === false) return finish(tf.model({ inputs: input, outputs: x, name: 'mobilenetv2_like' }));
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 6, activation: 'relu', name: 'head_dense' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 3, activation: 'softmax', name: 'head_out' }).apply(x) as tf.SymbolicTensor;
  return finish(tf.model({ inputs: input, outputs: x, name: 'classifier' }));
}

function finish(built: tf.LayersModel): tf.LayersModel {
  // Moving statistics away from 0/1 so a BN weight in the wrong slot changes predictions.
  tf.tidy(() => {
    for (const layer of built.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      const [gamma, beta, mean, variance] = layer.getWeights();
      layer.setWeights([
        gamma!.add(0.5),
        beta!.add(0.1),
        tf.randomUniform(mean!.shape, -0.5, 0.5, 'float32', 7),
        variance!.add(tf.randomUniform(variance!.shape, 0.1, 2, 'float32', 9)),
      ]);
    }
  });
  return built;
}
