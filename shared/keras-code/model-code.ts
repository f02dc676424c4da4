/**
 * The Keras code of a model as a Keras user writes it: the base loaded from `base.h5` and frozen, the head as a
 * `keras.Sequential` built from the head spec (same layers, names and options as the app's tfjs head), and the
 * functional model `inputs → base(training=False) → head`. The Head step shows it; the training job's train.py
 * contains it. Pure: no node, tfjs or electron imports.
 */
import type { Scaling } from '../contract/models';
import { DEFAULT_OUTPUT_NAME, resolvedLayerNames, type HeadSpec, type LayerSpec } from '../layer-spec';
import { pyNum, pyStr } from './python';

/** What the generator needs to know about the base (a subset of BaseInfo). */
export interface KerasBaseDescription {
  id: string;
  name: string;
  inputSize: number;
  scaling: Scaling;
  cutLayer: string;
  pooling: 'avg' | 'none';
}

/** Options of {@link kerasModelCode}. */
export interface KerasModelCodeOptions {
  base: KerasBaseDescription;
  head: HeadSpec;
  /** Number of classes (units of the output Dense unless the spec edits it). */
  numClasses: number;
  /** The base file the code loads. Default: "base.h5". */
  baseFile?: string;
  /** Emit the `import` lines. Default: true. */
  imports?: boolean;
  /** Which base layers train (the Head step's freeze choice). Default: the whole base frozen. */
  freeze?: { mode?: 'all' | 'none' | 'topLayers' | 'topBlocks'; n?: number };
}

/** The lines that set which base layers train, for a freeze choice. */
export function kerasFreezeCode(freeze: KerasModelCodeOptions['freeze'] = {}): string[] {
  const n = freeze.n ?? 0;
  switch (freeze.mode ?? 'all') {
    case 'none':
      return ['base.trainable = True  # the whole base trains with the head'];
    case 'topLayers':
      if (n === 0) break;
      return [
        `# The top ${n} base layers that hold weights train; the rest stay frozen.`,
        'base.trainable = True',
        'weighted = [layer for layer in base.layers if layer.weights]',
        'for layer in base.layers:',
        `    layer.trainable = layer in weighted[-${n}:]`,
      ];
    case 'topBlocks':
      if (n === 0) break;
      return [
        `# The top ${n} blocks of the base train (MobileNetV2: block_k_* groups; other bases: one weight layer each).`,
        '# The Keras training job export lists their layers in FINE_TUNE_LAYERS.',
        'base.trainable = True',
        'for layer in base.layers:',
        '    layer.trainable = layer.name in FINE_TUNE_LAYERS',
      ];
  }
  return ['base.trainable = False  # frozen: phase 1 trains only the head'];
}

/** Keras spelling of an activation (`relu6` is not a Keras 2 activation name: `tf.nn.relu6`). */
export function kerasActivation(activation: string): string {
  return activation === 'relu6' ? 'tf.nn.relu6' : pyStr(activation);
}

/** How the base file scales raw pixels, in words, for comments. */
export function scalingWords(scaling: Scaling): string {
  if (scaling === 'x/255') return 'its first layer rescales them to x/255';
  if (scaling === 'x/127.5-1') return 'its first layer rescales them to x/127.5 - 1';
  return 'the base uses them unscaled';
}

/** One head layer as a Keras constructor call. */
export function kerasLayerCall(layer: LayerSpec, name: string): string {
  const n = `name=${pyStr(name)}`;
  switch (layer.kind) {
    case 'dense':
      return `layers.Dense(${layer.units}, activation=${kerasActivation(layer.activation)}, ${n})`;
    case 'dropout':
      return `layers.Dropout(${pyNum(layer.rate)}, ${n})`;
    case 'batchNormalization':
      return `layers.BatchNormalization(${n})`;
    case 'activation':
      return `layers.Activation(${kerasActivation(layer.activation)}, ${n})`;
    case 'flatten':
      return `layers.Flatten(${n})`;
    case 'globalAveragePooling2d':
      return `layers.GlobalAveragePooling2D(${n})`;
  }
}

/** The `head = keras.Sequential([...])` statement. */
export function kerasHeadCode(head: HeadSpec, numClasses: number): string {
  const names = resolvedLayerNames(head.layers);
  const output = head.output ?? {};
  const calls = head.layers.map((layer, i) => kerasLayerCall(layer, names[i]!));
  calls.push(
    `layers.Dense(${output.units ?? numClasses}, activation=${kerasActivation(output.activation ?? 'softmax')}, ` +
      `name=${pyStr(output.name ?? DEFAULT_OUTPUT_NAME)})`,
  );
  return [
    'head = keras.Sequential(',
    '    [',
    ...calls.map((c) => `        ${c},`),
    '    ],',
    '    name="head",',
    ')',
  ].join('\n');
}

/** The Python of the whole model: imports, base, freezing, Sequential head, functional model. */
export function kerasModelCode(options: KerasModelCodeOptions): string {
  const { base } = options;
  const file = options.baseFile ?? 'base.h5';
  const size = base.inputSize;
  const pooled = base.pooling === 'avg' ? ' + global average pooling' : '';
  const lines = [
    ...(options.imports === false
      ? []
      : ['import tensorflow as tf', 'from tensorflow import keras', 'from tensorflow.keras import layers', '']),
    `# Base: ${base.name} (${base.id}), cut at ${base.cutLayer}${pooled}.`,
    `# It takes raw 0-255 RGB pixels, ${size}x${size}; ${scalingWords(base.scaling)}.`,
    `base = keras.models.load_model(${pyStr(file)}, compile=False)`,
    ...kerasFreezeCode(options.freeze),
    '',
    kerasHeadCode(options.head, options.numClasses),
    '',
    `inputs = keras.Input(shape=(${size}, ${size}, 3), name="pixels")`,
    "# training=False keeps the base's BatchNormalization in inference mode, also when fine-tuning.",
    'features = base(inputs, training=False)',
    'outputs = head(features)',
    'model = keras.Model(inputs, outputs, name="classifier")',
  ];
  return lines.join('\n') + '\n';
}
