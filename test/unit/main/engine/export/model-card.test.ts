import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputSentence, labelsText, modelCard } from '../../../../../main/engine/export/model-card';
import type { ExportRun } from '../../../../../main/engine/export/registry';
import { parseRunFileText } from '../../../../../main/engine/run-folder/run-file';
import { Evaluation } from '../../../../../shared/contract/evaluate';

const fixture = path.resolve(import.meta.dirname, '../../../../fixtures/run-folder/run-v1.json');

function run(evaluation?: Evaluation): ExportRun {
  const { state } = parseRunFileText(readFileSync(fixture, 'utf8'), fixture);
  state.classes = ['cat', 'dog|wolf'];
  state.test = { count: 3, images: [0, 1, 1].map((label, i) => ({ path: `/t/${i}.png`, hash: `h${i}`, label })) };
  return {
    runDir: '/home/ada/studio/pets/runs/r1',
    state,
    modelDir: '/home/ada/studio/pets/runs/r1/model',
    classes: state.classes,
    base: {
      id: 'b',
      name: 'Base B',
      description: 'A base.',
      source: 'bundled',
      inputSize: 224,
      scaling: 'x/255',
      cutLayer: 'c',
      pooling: 'none',
      featureSize: 4,
      featureShape: [4],
      licence: 'MIT (example)',
      fineTunable: true,
      sizeBytes: 1,
    } as ExportRun['base'],
    preprocess: { size: 224, resize: 'cover', background: '#ffffff' },
    ...(evaluation ? { evaluation } : {}),
  };
}

const ctx = {
  signal: new AbortController().signal,
  formats: ['tfjs', 'keras', 'onnx'],
  appVersion: '9.9.9',
  timeStamp: '2026-11-27T12:00:00.000Z',
};
const format = {
  id: 'tfjs',
  name: 'TensorFlow.js',
  description: 'For the web.',
  input: 'pixels' as const,
  modelFiles: { tfjs: 'model.json', keras: 'model.h5', onnx: 'model.onnx' },
};

describe('model card', () => {
  it('without evaluation.json says "not evaluated", and lists classes with test counts, base, licence, preprocessing, training, date, version', () => {
    const card = modelCard(run(), format, ctx);
    expect(card).toContain('Not evaluated');
    expect(card).toContain('| 0 | cat | 1 |');
    expect(card).toContain('| 1 | dog\\|wolf | 2 |');
    expect(card).toContain('Licence: MIT (example).');
    expect(card).toContain('Resize: cover (centre-crop to a square, then resize)');
    expect(card).toContain('raw pixel values 0–255');
    expect(card).toContain('Head: dense:64:relu,dropout:0.3');
    expect(card).toContain('label smoothing 0.05');
    expect(card).toContain('Transfer Studio 9.9.9 on 2026-11-27T12:00:00.000Z');
  });

  it('has JS, Keras and onnxruntime snippets when those formats are in the export, pointing at their folders', () => {
    const card = modelCard(run(), format, ctx);
    expect(card).toContain("tf.loadLayersModel('model.json')");
    expect(card).toContain('tf.keras.models.load_model("../keras/model.h5")');
    expect(card).toContain('ort.InferenceSession("../onnx/model.onnx")');
    const alone = modelCard(run(), format, { ...ctx, formats: ['tfjs'] });
    expect(alone).not.toContain('load_model');
    expect(alone).not.toContain('onnxruntime');
  });

  it('with evaluation.json shows accuracy, its interval, per-class metrics and the confusion matrix', () => {
    const evaluation = {
      version: 1,
      writtenAt: '2026-11-27T11:00:00.000Z',
      runDir: '/r',
      model: 'model',
      source: { kind: 'test-split' },
      classes: ['cat', 'dog|wolf'],
      count: 3,
      accuracy: 2 / 3,
      accuracyInterval: { low: 0.2, high: 0.94, level: 0.95, method: 'wilson' },
      loss: 0.5,
      perClass: [
        { name: 'cat', precision: 0.5, recall: 1, f1: 2 / 3, support: 1, predicted: 2 },
        { name: 'dog|wolf', precision: 1, recall: 0.5, f1: 2 / 3, support: 2, predicted: 1 },
      ],
      macro: { precision: 0.75, recall: 0.75, f1: 2 / 3 },
      weighted: { precision: 0.8, recall: 2 / 3, f1: 2 / 3 },
      confusion: {
        matrix: [
          [1, 0],
          [1, 1],
        ],
        mostConfused: [{ actual: 1, predicted: 0, count: 1 }],
      },
      calibration: { ece: null, bins: [] },
      images: [],
      smallClasses: [],
      notices: ['Only 3 test images.'],
      failed: [],
      skippedTrained: 0,
      durationMs: 1,
    };
    const card = modelCard(run(Evaluation.parse(evaluation)), format, ctx);
    expect(card).not.toContain('Not evaluated');
    expect(card).toContain('Accuracy: **66.7 %** (95 % interval 20.0 % – 94.0 %) on 3 held-out test images');
    expect(card).toContain('| 0 | cat | 1 | 50.0 % | 100.0 % | 66.7 % |');
    expect(card).toContain('| true \\ predicted | cat | dog\\|wolf |');
    expect(card).toContain('| dog\\|wolf | 1 | 1 |');
    expect(card).toContain('> Only 3 test images.');
  });

  it('says what each input kind holds, and writes labels.txt as "index label" lines', () => {
    expect(inputSentence('tm', 'x/127.5-1', 224)).toContain('`x/127 − 1`');
    expect(inputSentence('scaled', 'x/255', 96)).toContain('[N, 96, 96, 3]');
    expect(labelsText(['a b', 'c'])).toBe('0 a b\n1 c\n');
  });
});

describe('model card: calibration line', () => {
  it('says T, where it was fitted, the ECE before → after and how to undo it; a run without T says not calibrated', () => {
    const calibrated = run();
    calibrated.state.calibration = {
      status: 'applied',
      method: 'temperature',
      temperature: 1.8234,
      layer: 'predictions',
      images: 200,
      nllBefore: 0.71,
      nllAfter: 0.52,
      eceBefore: 0.0912,
      eceAfter: 0.0281,
    };
    const card = modelCard(calibrated, format, ctx);
    expect(card).toContain(
      '- Probabilities: calibrated by temperature scaling, T = 1.823 fitted on 200 validation images (ECE 0.091 → 0.028); the kernel and bias of `predictions` are divided by T, multiply them by T for the raw model',
    );
    expect(modelCard(run(), format, ctx)).toContain('- Probabilities: not calibrated\n');
    const off = run();
    off.state.calibration = { status: 'off', reason: 'calibrate is off in the training config (--no-calibrate).' };
    expect(modelCard(off, format, ctx)).toContain(
      '- Probabilities: not calibrated (calibrate is off in the training config (--no-calibrate))\n',
    );
  });
});
