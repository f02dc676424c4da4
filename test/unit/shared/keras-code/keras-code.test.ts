/**
 * The Keras code generator: the Head step's model code and the training job's train.py compile with Python
 * (`py_compile`), say what the head spec says, and train.py names every setting of the run's config.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainConfig } from '../../../../shared/contract/training';
import { kerasFreezeCode, kerasHeadCode, kerasModelCode } from '../../../../shared/keras-code/model-code';
import { pyNum, pyValue } from '../../../../shared/keras-code/python';
import { SETTINGS_APPLIED_ELSEWHERE, kerasTrainScript } from '../../../../shared/keras-code/train-script';
import { defaultHeadSpec, type HeadSpec } from '../../../../shared/layer-spec';

const work = mkdtempSync(path.join(os.tmpdir(), 'ts-keras-code-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Compiles Python source with Debian's python3; throws with the compiler's message when it does not compile. */
function pyCompile(source: string, name: string): void {
  const file = path.join(work, name);
  writeFileSync(file, source);
  execFileSync('/usr/bin/python3', ['-m', 'py_compile', file], { encoding: 'utf8', stdio: 'pipe' });
}

const base = {
  id: 'nsfwjs-mobilenet-v2',
  name: 'MobileNetV2 (nsfwjs)',
  inputSize: 224,
  scaling: 'x/255' as const,
  cutLayer: 'out_relu',
  pooling: 'avg' as const,
};

/** Every key path of a config object, e.g. "fineTune.learningRate". */
function keyPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]
      : [`${prefix}${k}`],
  );
}

describe('Python literals', () => {
  it('writes numbers, strings, lists and dicts as Python reads them', () => {
    expect([pyNum(1e-5), pyNum(0.001), pyNum(32), pyNum(1e-7)]).toEqual(['0.00001', '0.001', '32', '1e-7']);
    expect(pyValue({ a: [1, 'b"c', true, null] })).toBe('{"a": [1, "b\\"c", True, None]}');
    expect(() => pyNum(Number.NaN)).toThrow('Cannot write NaN as a Python number.');
  });
});

describe('Keras model code (Head step view)', () => {
  it('writes the default head as a Sequential with the app names, and compiles', () => {
    const code = kerasModelCode({ base, head: defaultHeadSpec(), numClasses: 3 });
    expect(code).toContain('base = keras.models.load_model("base.h5", compile=False)');
    expect(code).toContain('base.trainable = False');
    expect(code).toContain(
      [
        'head = keras.Sequential(',
        '    [',
        '        layers.Dense(128, activation="relu", name="head_dense_1"),',
        '        layers.Dropout(0.2, name="head_dropout_1"),',
        '        layers.Dense(3, activation="softmax", name="predictions"),',
        '    ],',
        '    name="head",',
        ')',
      ].join('\n'),
    );
    expect(code).toContain('inputs = keras.Input(shape=(224, 224, 3), name="pixels")');
    expect(code).toContain('features = base(inputs, training=False)');
    expect(code).toContain('# It takes raw 0-255 RGB pixels, 224x224; its first layer rescales them to x/255.');
    pyCompile(code, 'model_code.py');
  });

  it('writes every head layer kind, relu6 as tf.nn.relu6, and an edited output', () => {
    const head: HeadSpec = {
      layers: [
        { kind: 'globalAveragePooling2d' },
        { kind: 'batchNormalization' },
        { kind: 'dense', units: 64, activation: 'relu6', name: 'hidden' },
        { kind: 'activation', activation: 'gelu' },
        { kind: 'dropout', rate: 0.5 },
        { kind: 'flatten' },
      ],
      output: { activation: 'sigmoid', name: 'out' },
    };
    const code = kerasHeadCode(head, 5);
    expect(code.split('\n').slice(2, -3)).toEqual([
      '        layers.GlobalAveragePooling2D(name="head_global_average_pooling2d_1"),',
      '        layers.BatchNormalization(name="head_batch_normalization_1"),',
      '        layers.Dense(64, activation=tf.nn.relu6, name="hidden"),',
      '        layers.Activation("gelu", name="head_activation_1"),',
      '        layers.Dropout(0.5, name="head_dropout_1"),',
      '        layers.Flatten(name="head_flatten_1"),',
      '        layers.Dense(5, activation="sigmoid", name="out"),',
    ]);
    pyCompile(kerasModelCode({ base: { ...base, pooling: 'none' }, head, numClasses: 5 }), 'all_kinds.py');
  });
});

describe('freezing in the Keras code', () => {
  it('writes the Head step freeze choice: all, none, top layers, top blocks', () => {
    expect(kerasFreezeCode()).toEqual(['base.trainable = False  # frozen: phase 1 trains only the head']);
    expect(kerasFreezeCode({ mode: 'topLayers', n: 0 })).toEqual(kerasFreezeCode());
    expect(kerasFreezeCode({ mode: 'none' })).toEqual(['base.trainable = True  # the whole base trains with the head']);
    expect(kerasFreezeCode({ mode: 'topLayers', n: 3 }).at(-1)).toBe('    layer.trainable = layer in weighted[-3:]');
    expect(kerasFreezeCode({ mode: 'topBlocks', n: 2 })[0]).toMatch(/^# The top 2 blocks of the base train/);
    const code = kerasModelCode({ base, head: defaultHeadSpec(), numClasses: 2, freeze: { mode: 'topLayers', n: 4 } });
    expect(code).toContain('weighted = [layer for layer in base.layers if layer.weights]');
    pyCompile(code, 'freeze_top_layers.py');
  });
});

describe('train.py of the training job', () => {
  const config = TrainConfig.parse({
    epochs: 7,
    batchSize: 16,
    learningRate: 0.002,
    optimizer: 'sgd',
    momentum: 0.8,
    labelSmoothing: 0.1,
    classWeights: [1, 2, 0.5],
    earlyStopping: { patience: 3, restoreBestWeights: false, minDelta: 0.01 },
    validationSplit: 0.25,
    seed: 9,
    augment: 2,
    augmentation: { flip: false, rotation: 10, zoom: 0.1, brightness: 0.2, contrast: 0.1, saturation: 0.1, noise: 3 },
    fineTune: { top: 2, unit: 'blocks', epochs: 4, learningRate: 1e-5, optimizer: 'rmsprop' },
  });
  const script = kerasTrainScript({
    model: { base, head: defaultHeadSpec(), numClasses: 3 },
    classes: ['cat', 'dog', 'bird "tweety"'],
    config,
    preprocess: { size: 224, resize: 'contain', background: '#102030' },
    fineTuneLayers: ['block_16_expand', 'block_16_project_BN', 'Conv_1', 'Conv_1_bn'],
    runId: '2026-11-27T14-00-00',
  });

  it('compiles with python3 -m py_compile', () => {
    pyCompile(script, 'train.py');
  });

  it('names every setting of the run config with its value', () => {
    const paths = keyPaths(config);
    expect(paths).toEqual(
      expect.arrayContaining(['epochs', 'fineTune.top', 'earlyStopping.minDelta', 'augmentation.noise']),
    );
    for (const key of paths) {
      const last = key.split('.').at(-1)!;
      expect(script, key).toContain(`"${last}": `);
      if (key in SETTINGS_APPLIED_ELSEWHERE) expect(script).toContain(`${key} (${SETTINGS_APPLIED_ELSEWHERE[key]})`);
      else expect(script, `${key} is read`).toMatch(new RegExp(`\\["${last}"\\]`));
    }
    expect(Object.keys(SETTINGS_APPLIED_ELSEWHERE)).toEqual(['validationSplit', 'fineTune.unit']);
    for (const line of [
      '"epochs": 7,',
      '"batchSize": 16,',
      '"learningRate": 0.002,',
      '"optimizer": "sgd",',
      '"momentum": 0.8,',
      '"labelSmoothing": 0.1,',
      '"classWeights": [1, 2, 0.5],',
      '"seed": 9,',
      '"augment": 2,',
    ]) {
      expect(script).toContain(line);
    }
    expect(script).toContain(
      '"fineTune": {"top": 2, "unit": "blocks", "epochs": 4, "learningRate": 0.00001, "optimizer": "rmsprop"},',
    );
  });

  it('has the phases, the strategies, the preprocessing and the frozen-BN call the run used', () => {
    expect(script).toContain('tf.distribute.MirroredStrategy()');
    expect(script).toContain('tf.distribute.MultiWorkerMirroredStrategy()');
    expect(script).toContain('features = base(inputs, training=False)');
    expect(script).toContain('PREPROCESS = {"size": 224, "resize": "contain", "background": "#102030"}');
    expect(script).toContain('BACKGROUND = [16, 32, 48]');
    expect(script).toContain('CLASSES = ["cat", "dog", "bird \\"tweety\\""]');
    expect(script).toContain('FINE_TUNE_LAYERS = ["block_16_expand", "block_16_project_BN", "Conv_1", "Conv_1_bn"]');
    expect(script).toContain('load_model(os.path.join(HERE, "base.h5"), compile=False)');
    expect(script).toContain('keras.losses.CategoricalCrossentropy(label_smoothing=SETTINGS["labelSmoothing"])');
  });
});
