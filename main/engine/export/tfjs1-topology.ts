/**
 * Keeps a layers topology loadable by tfjs 1.3 (what Teachable Machine's loader runs). Measured with
 * tfjs 1.3.1 (test/clients/teachable-machine): it knows only the layer classes of {@link TFJS1_LAYER_CLASSES}
 * and the activations of {@link TFJS1_ACTIVATIONS}; it ignores config keys it does not know *silently* — so
 * a newer key that changes what a layer computes (`keepdims: true`, `groups` > 1) would load and compute
 * something else. `toTfjs1Topology` converts what has a tfjs 1.3 form (Keras 3 `batch_shape`, dtype
 * policies, `module`/`registered_name`) and drops newer keys at their default; `tfjs1Issues` lists what
 * remains that tfjs 1.3 cannot do, each naming the layer and the value received.
 */
import { quote } from '../../../shared/errors';
import type { LayerJson } from './layers-model-files';

/** Layer classes tfjs-layers 1.3.1 registers (its serialization map, minus optimizers, initialisers and constraints). */
export const TFJS1_LAYER_CLASSES: readonly string[] = [
  'Activation',
  'Add',
  'AlphaDropout',
  'Average',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'BatchNormalization',
  'Bidirectional',
  'Concatenate',
  'Conv1D',
  'Conv2D',
  'Conv2DTranspose',
  'Conv3D',
  'Cropping2D',
  'Dense',
  'DepthwiseConv2D',
  'Dot',
  'Dropout',
  'ELU',
  'Embedding',
  'Flatten',
  'GRU',
  'GaussianDropout',
  'GaussianNoise',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'InputLayer',
  'LSTM',
  'LayerNormalization',
  'LeakyReLU',
  'Masking',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'Maximum',
  'Minimum',
  'Model',
  'Multiply',
  'PReLU',
  'Permute',
  'ReLU',
  'RepeatVector',
  'Reshape',
  'SeparableConv2D',
  'Sequential',
  'SimpleRNN',
  'Softmax',
  'ThresholdedReLU',
  'TimeDistributed',
  'UpSampling2D',
  'ZeroPadding2D',
];

/** Activation names tfjs 1.3.1 knows (Keras spellings included). */
export const TFJS1_ACTIVATIONS: readonly string[] = [
  'elu',
  'hard_sigmoid',
  'hardSigmoid',
  'linear',
  'log_softmax',
  'logSoftmax',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
];

/** Keys newer Keras/tfjs write that tfjs 1.3 ignores; dropped when they hold their default. */
const NEWER_KEYS_AT_DEFAULT: Record<string, unknown> = { keepdims: false, groups: 1, ragged: false };

function convertNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertNested);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  // A Keras dtype policy ({class_name: "Policy"/"DTypePolicy", config: {name}}) → its dtype name.
  if (
    (record['class_name'] === 'Policy' || record['class_name'] === 'DTypePolicy') &&
    typeof record['config'] === 'object'
  ) {
    const name = (record['config'] as { name?: unknown }).name;
    return name === 'mixed_float16' || name === 'mixed_bfloat16' ? name : 'float32';
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) {
    if (key === 'module' || key === 'registered_name') continue;
    out[key] = convertNested(inner);
  }
  return out;
}

function convertLayer(layer: LayerJson): LayerJson {
  const config = convertNested(layer.config) as Record<string, unknown>;
  if (
    layer.class_name === 'InputLayer' &&
    config['batch_input_shape'] === undefined &&
    Array.isArray(config['batch_shape'])
  ) {
    config['batch_input_shape'] = config['batch_shape'];
    delete config['batch_shape'];
  }
  for (const [key, fallback] of Object.entries(NEWER_KEYS_AT_DEFAULT)) {
    if (key in config && config[key] === fallback) delete config[key];
  }
  return { ...layer, config };
}

/** A copy of `topology` (a `model_config` or a bare Model config) in the form tfjs 1.3 reads. */
export function toTfjs1Topology(topology: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(topology);
  const model = (copy['model_config'] ?? copy) as { config?: { layers?: LayerJson[] } };
  if (model.config?.layers) model.config.layers = model.config.layers.map(convertLayer);
  return copy;
}

/** What in these layers tfjs 1.3 cannot load or would compute differently; empty when none. */
export function tfjs1Issues(layers: readonly LayerJson[]): string[] {
  const issues: string[] = [];
  for (const layer of layers) {
    const at = `layer ${quote(layer.name)}`;
    if (!TFJS1_LAYER_CLASSES.includes(layer.class_name))
      issues.push(`${at}: tfjs 1.3 has no ${quote(layer.class_name)} layer`);
    const activation = layer.config['activation'];
    if (typeof activation === 'string' && !TFJS1_ACTIVATIONS.includes(activation)) {
      issues.push(`${at}: tfjs 1.3 has no activation ${quote(activation)}`);
    }
    for (const [key, fallback] of Object.entries(NEWER_KEYS_AT_DEFAULT)) {
      if (key in layer.config && layer.config[key] !== fallback) {
        issues.push(
          `${at}: tfjs 1.3 ignores ${key}, received ${quote(layer.config[key])} (only ${quote(fallback)} would compute the same)`,
        );
      }
    }
    if (layer.class_name === 'InputLayer' && !Array.isArray(layer.config['batch_input_shape'])) {
      issues.push(`${at}: tfjs 1.3 needs batch_input_shape, received ${quote(layer.config['batch_input_shape'])}`);
    }
  }
  return issues;
}
