/// <reference types="svelte" />
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BaseInfo, ModelSummary } from '../../../../../shared/contract/models';
import { StudioError } from '../../../../../shared/errors';
import { formatCount, formatShape, HeadEditor } from '../../../../../renderer/src/lib/state/head-editor.svelte';
import { FakeClient, settle } from '../../fake-client';

const BASE: BaseInfo = {
  id: 'nsfwjs-mobilenet-v2',
  name: 'MobileNetV2 224 (bundled, nsfwjs)',
  description: 'MobileNetV2 from nsfwjs 4.4.0 (MIT)',
  source: 'bundled',
  inputSize: 224,
  scaling: 'x/255',
  cutLayer: 'flatten_1',
  pooling: 'avg',
  featureSize: 1280,
  featureShape: [1280],
  licence: 'MIT',
  fineTunable: true,
  sizeBytes: 2_600_000,
};

/** Base chosen in a real $state so the editor follows it. */
class Chosen {
  base = $state.raw<BaseInfo | undefined>(BASE);
}

/** A summary computed from the request like Keras would for a flat 1280-d feature (dense and output only). */
function fakeSummary(request: { head: { layers: { kind: string; units?: number }[] }; classes: number }): ModelSummary {
  let width = 1280;
  let head = 0;
  for (const layer of request.head.layers) {
    if (layer.kind === 'dense') {
      head += (width + 1) * layer.units!;
      width = layer.units!;
    }
  }
  head += (width + 1) * request.classes;
  return { rows: [], totalParams: 2_257_984 + head, trainableParams: head, nonTrainableParams: 2_257_984 };
}

function setup() {
  const chosen = new Chosen();
  const client = new FakeClient().handle('models.summary', (request) => fakeSummary(request as never));
  const editor = new HeadEditor(client, () => chosen.base);
  return { chosen, client, editor };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HeadEditor', () => {
  it('starts with the default head, valid on a chosen base', () => {
    const { editor, chosen } = setup();
    expect(editor.spec.layers).toEqual([
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'dropout', rate: 0.2 },
    ]);
    expect(editor.names).toEqual(['head_dense_1', 'head_dropout_1']);
    expect(editor.issues).toEqual([]);
    expect(editor.valid).toBe(true);
    expect(editor.summaryRequest).toEqual({
      base: 'nsfwjs-mobilenet-v2',
      head: editor.spec,
      classes: 2,
      freeze: { mode: 'all', n: 0, layers: {} },
    });
    chosen.base = undefined;
    expect(editor.valid).toBe(false);
    expect(editor.summaryRequest).toBeUndefined();
  });

  it('adds, inserts, moves, renames, removes and pops layers like a Keras Sequential', () => {
    const { editor } = setup();
    editor.add('batchNormalization');
    editor.insert(0, 'dense');
    expect(editor.spec.layers.map((l) => l.kind)).toEqual(['dense', 'dense', 'dropout', 'batchNormalization']);
    expect(editor.spec.layers[0]).toEqual({ kind: 'dense', units: 64, activation: 'relu' });
    expect(editor.move(3, -1)).toBe(2);
    expect(editor.spec.layers.map((l) => l.kind)).toEqual(['dense', 'dense', 'batchNormalization', 'dropout']);
    expect(editor.move(0, -1)).toBe(0); // already first: nothing moves
    expect(editor.rename(1, 'hidden')).toBe(true);
    expect(editor.names).toEqual(['head_dense_1', 'hidden', 'head_batch_normalization_1', 'head_dropout_1']);
    expect(editor.rename(1, '')).toBe(true); // back to the generated name
    expect(editor.names[1]).toBe('head_dense_2');
    editor.remove(0);
    editor.pop();
    expect(editor.spec.layers.map((l) => l.kind)).toEqual(['dense', 'batchNormalization']);
    editor.reset();
    expect(editor.spec.layers.map((l) => l.kind)).toEqual(['dense', 'dropout']);
  });

  it('keeps a refused operation in words against its row', () => {
    const { editor } = setup();
    expect(editor.rename(1, 'head_dense_1')).toBe(false);
    expect(editor.problemsAt(1)).toEqual(['duplicate layer name "head_dense_1"']);
    expect(editor.rename(0, '9lives')).toBe(false);
    expect(editor.problemsAt(0)[0]).toContain('invalid layer name "9lives"');
    expect(editor.problemsAt(1)).toEqual([]); // the newest refusal replaces the last
    editor.pop();
    editor.pop();
    editor.pop();
    expect(editor.problemsAt(-2)).toEqual(['there is no layer to pop: the head has only its output layer']);
    editor.add('dense');
    expect(editor.problemsAt(-2)).toEqual([]);
  });

  it('shows the validator message quoting a bad value next to its row', () => {
    const { editor } = setup();
    editor.update(0, { units: 0 });
    expect(editor.valid).toBe(false);
    expect(editor.issues).toEqual([
      { index: 0, message: 'layer 0 (dense): expected units to be an integer > 0, received 0' },
    ]);
    expect(editor.problemsAt(0)).toEqual(['expected units to be an integer > 0, received 0']);
    expect(editor.summaryRequest).toBeUndefined();
    editor.update(1, { rate: 1.5, units: 3 }); // units does not apply to a dropout
    expect(editor.spec.layers[1]).toEqual({ kind: 'dropout', rate: 1.5 });
    expect(editor.problemsAt(1)).toEqual(['expected rate in [0, 1), received 1.5']);
    editor.update(0, { units: 32 });
    editor.update(1, { rate: 0.5 });
    expect(editor.valid).toBe(true);

    editor.add('globalAveragePooling2d'); // the 1280-d feature is flat
    expect(editor.problemsAt(2)).toEqual([
      'GlobalAveragePooling2D needs a spatial feature map (height × width × channels), but its input is a flat feature ' +
        "of 32 values, shaped like the base's feature; remove it or pick a base cut at a spatial layer.",
    ]);
    editor.pop();
    editor.classCount = 1;
    expect(editor.problemsAt(-2)).toEqual(['expected at least 2 classes, received 1']);
    editor.classCount = 5;
    editor.updateOutput({ activation: 'relu' });
    expect(editor.problemsAt(-1)).toEqual(['expected activation softmax, sigmoid or linear, received "relu"']);
    editor.updateOutput({ activation: undefined });
    expect(editor.spec.output).toBeUndefined();
    expect(editor.valid).toBe(true);
  });

  it('offers at each place only the kinds that can follow, and the others with the reason', () => {
    const { editor, chosen } = setup();
    const offered = (position: number) =>
      editor
        .choicesAt(position)
        .filter((c) => !c.refusal)
        .map((c) => c.entry.label);
    expect(offered(0)).toEqual(['Dense', 'Dropout', 'BatchNormalization', 'Activation']);
    expect(editor.choicesAt(2).find((c) => c.entry.kind === 'flatten')?.refusal).toBe(
      'Needs a feature map to flatten (height × width × channels); here the input is a flat feature of 128 values.',
    );
    chosen.base = { ...BASE, pooling: 'none', featureShape: [7, 7, 1280], featureSize: 62_720 };
    expect(offered(0)).toEqual([
      'Dense',
      'Dropout',
      'BatchNormalization',
      'Activation',
      'Flatten',
      'GlobalAveragePooling2D',
    ]);
    editor.insert(0, 'globalAveragePooling2d');
    expect(editor.issues).toEqual([]);
    expect(offered(1)).toEqual(['Dense', 'Dropout', 'BatchNormalization', 'Activation']);
  });

  it('shows the output shape of each row from the table at once', () => {
    const { editor, chosen } = setup();
    expect([editor.shapeAt(0), editor.shapeAt(1), editor.outputShape()]).toEqual([
      '(None, 128)',
      '(None, 128)',
      '(None, 2)',
    ]);
    editor.update(0, { units: 32 });
    editor.classCount = 5;
    expect([editor.shapeAt(0), editor.outputShape()]).toEqual(['(None, 32)', '(None, 5)']);
    chosen.base = { ...BASE, pooling: 'none', featureShape: [7, 7, 1280], featureSize: 62_720 };
    editor.add('flatten');
    expect(editor.shapeAt(2)).toBe('(None, 1568)');
    expect(editor.shapeAt(3)).toBeUndefined();
  });

  it('asks models.summary for base + head + classes + freeze, keeping only the newest answer', async () => {
    const { editor, client } = setup();
    await editor.refreshSummary();
    expect(editor.summary?.totalParams).toBe(2_257_984 + 1281 * 128 + 129 * 2);
    editor.freeze = { mode: 'topBlocks', n: 2 };
    editor.classCount = 3;
    await editor.refreshSummary();
    expect(client.calls.at(-1)?.request).toMatchObject({ classes: 3, freeze: { mode: 'topBlocks', n: 2, layers: {} } });

    // Two requests in flight: the older answer arrives last and is dropped.
    const answers: ((s: ModelSummary) => void)[] = [];
    client.handle('models.summary', () => new Promise<ModelSummary>((resolve) => answers.push(resolve)));
    const first = editor.refreshSummary();
    const second = editor.refreshSummary();
    answers[1]!({ rows: [], totalParams: 2, trainableParams: 2, nonTrainableParams: 0 });
    await second;
    answers[0]!({ rows: [], totalParams: 1, trainableParams: 1, nonTrainableParams: 0 });
    await first;
    expect(editor.summary?.totalParams).toBe(2);
    expect(editor.summarizing).toBe(false);

    client.handle('models.summary', () => {
      throw new StudioError('NOT_FOUND', 'No base "gone".');
    });
    await editor.refreshSummary();
    expect(editor.summaryError).toBe('No base "gone".');
    expect(editor.summary?.totalParams).toBe(2); // the last good one stays shown
  });

  it('debounces summaries: one call 300 ms after the last change', async () => {
    vi.useFakeTimers();
    const { editor, client } = setup();
    let cancel = editor.scheduleSummary();
    expect(editor.summarizing).toBe(true);
    vi.advanceTimersByTime(200);
    editor.add('dense');
    cancel(); // what the component's effect cleanup does on a change
    cancel = editor.scheduleSummary();
    vi.advanceTimersByTime(299);
    expect(client.count('models.summary')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(client.count('models.summary')).toBe(1);
    vi.useRealTimers();
    await settle();
    expect(editor.summary?.totalParams).toBe(2_257_984 + 1281 * 128 + 129 * 64 + 65 * 2);
    expect(editor.summarizing).toBe(false);
    cancel();
  });
});

describe('formatting', () => {
  it('writes counts with thousands separators and shapes the Keras way', () => {
    expect(formatCount(2_257_984)).toBe('2,257,984');
    expect(formatCount(0)).toBe('0');
    expect(formatShape([null, 7, 7, 1280])).toBe('(None, 7, 7, 1280)');
  });
});
