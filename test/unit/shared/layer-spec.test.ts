import { describe, expect, it } from 'vitest';
import {
  HeadSpecError,
  defaultHeadSpec,
  headSpecIssues,
  parseHeadString,
  resolvedLayerNames,
  validateHeadSpec,
  type HeadSpec,
} from '../../../shared/layer-spec';
import { addLayer, insertLayer, moveLayer, popLayer, removeLayer, renameLayer } from '../../../shared/head-spec-ops';

const messages = (spec: unknown, context = {}) => {
  try {
    validateHeadSpec(spec, context);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(HeadSpecError);
    return (error as HeadSpecError).issues.map((i) => i.message);
  }
};

describe('head spec operations', () => {
  const base: HeadSpec = defaultHeadSpec();

  it('add appends before the output and never mutates', () => {
    const next = addLayer(base, { kind: 'batchNormalization' });
    expect(next.layers.map((l) => l.kind)).toEqual(['dense', 'dropout', 'batchNormalization']);
    expect(base.layers).toHaveLength(2);
  });

  it('pop deletes the latest layer like Keras model.pop(), and fails on an empty head', () => {
    expect(popLayer(base).layers.map((l) => l.kind)).toEqual(['dense']);
    expect(() => popLayer({ layers: [] })).toThrow(/no layer to pop/);
  });

  it('insert places a layer at a position and rejects positions outside 0..n', () => {
    const next = insertLayer(base, 1, { kind: 'activation', activation: 'tanh' });
    expect(next.layers.map((l) => l.kind)).toEqual(['dense', 'activation', 'dropout']);
    expect(() => insertLayer(base, 3, { kind: 'flatten' })).toThrow(/from 0 to 2, received 3/);
  });

  it('remove by index and by name', () => {
    expect(removeLayer(base, 0).layers.map((l) => l.kind)).toEqual(['dropout']);
    expect(removeLayer(base, 'head_dropout_1').layers.map((l) => l.kind)).toEqual(['dense']);
    expect(() => removeLayer(base, 'nope')).toThrow(/no head layer named "nope"/);
    expect(() => removeLayer(base, 5)).toThrow(/received 5/);
  });

  it('move reorders', () => {
    expect(moveLayer(base, 1, 0).layers.map((l) => l.kind)).toEqual(['dropout', 'dense']);
    expect(() => moveLayer(base, 0, 2)).toThrow(/received 2/);
  });

  it('rename sets a name and refuses duplicates and bad names', () => {
    const next = renameLayer(base, 0, 'fc1');
    expect(resolvedLayerNames(next.layers)).toEqual(['fc1', 'head_dropout_1']);
    expect(() => renameLayer(next, 1, 'fc1')).toThrow(/duplicate layer name "fc1"/);
    expect(() => renameLayer(base, 0, 'predictions')).toThrow(/duplicate layer name "predictions"/);
    expect(() => renameLayer(base, 0, '1bad name')).toThrow(/invalid layer name "1bad name"/);
  });
});

describe('head spec validation quotes the bad value', () => {
  it('accepts the default head', () => {
    expect(messages(defaultHeadSpec(), { featureShape: [1280], numClasses: 3 })).toEqual([]);
  });

  it('rejects duplicate names', () => {
    const spec = {
      layers: [
        { kind: 'dense', units: 4, name: 'a' },
        { kind: 'dropout', rate: 0.1, name: 'a' },
      ],
    };
    expect(messages(spec)).toEqual(['layer 1 (dropout): duplicate layer name "a" (also layer 0)']);
  });

  it('rejects units ≤ 0 or fractional', () => {
    expect(messages({ layers: [{ kind: 'dense', units: 0 }] })).toEqual([
      'layer 0 (dense): expected units to be an integer > 0, received 0',
    ]);
    expect(messages({ layers: [{ kind: 'dense', units: -3 }] })[0]).toMatch(/received -3$/);
    expect(messages({ layers: [{ kind: 'dense', units: 1.5 }] })[0]).toMatch(/received 1.5$/);
  });

  it('rejects dropout rates outside [0, 1)', () => {
    expect(messages({ layers: [{ kind: 'dropout', rate: 1 }] })).toEqual([
      'layer 0 (dropout): expected rate in [0, 1), received 1',
    ]);
    expect(messages({ layers: [{ kind: 'dropout', rate: -0.1 }] })[0]).toMatch(/received -0.1$/);
    expect(messages({ layers: [{ kind: 'dropout', rate: 0 }] })).toEqual([]);
  });

  it('rejects a spatial layer after a flat one, and a flatten of a flat input', () => {
    expect(messages({ layers: [{ kind: 'globalAveragePooling2d' }] }, { featureShape: [1280] })).toEqual([
      'layer 0 (globalAveragePooling2d): GlobalAveragePooling2D needs a spatial feature map (height × width × channels), ' +
        'but the base gives a flat feature of 1,280 values; remove it or pick a base cut at a spatial layer.',
    ]);
    const spatial = { featureShape: [7, 7, 1280] };
    expect(messages({ layers: [{ kind: 'globalAveragePooling2d' }, { kind: 'dense', units: 8 }] }, spatial)).toEqual(
      [],
    );
    expect(
      messages(
        { layers: [{ kind: 'flatten' }, { kind: 'dense', units: 8 }, { kind: 'globalAveragePooling2d' }] },
        spatial,
      ),
    ).toEqual([
      'layer 2 (globalAveragePooling2d): GlobalAveragePooling2D needs a spatial feature map (height × width × channels), ' +
        'but its input is a flat feature of 8 values (made flat by the Flatten "head_flatten_1"); remove it or move it above "head_flatten_1".',
    ]);
    expect(messages({ layers: [{ kind: 'flatten' }] }, { featureShape: [10] })).toEqual([
      'layer 0 (flatten): Flatten needs a feature map to flatten (height × width × channels), ' +
        'but the base gives a flat feature of 10 values; remove it or pick a base cut at a spatial layer.',
    ]);
    expect(messages({ layers: [] }, spatial)[0]).toMatch(/ends with a spatial output/);
  });

  it('checks an edited output layer against the class count', () => {
    expect(messages({ layers: [], output: { units: 4 } }, { numClasses: 3 })).toEqual([
      'output: expected units = 3 (the class count), received 4',
    ]);
    expect(messages({ layers: [], output: { units: 3, activation: 'relu' } }, { numClasses: 3 })).toEqual([
      'output: expected activation softmax, sigmoid or linear, received "relu"',
    ]);
    expect(
      messages({ layers: [], output: { units: 3, activation: 'sigmoid', name: 'out' } }, { numClasses: 3 }),
    ).toEqual([]);
    expect(messages({ layers: [{ kind: 'dense', units: 3, name: 'predictions' }] })[0]).toMatch(
      /output: duplicate layer name "predictions"/,
    );
  });

  it('rejects fewer than 2 classes and unknown kinds', () => {
    expect(messages({ layers: [] }, { numClasses: 1 })).toEqual(['expected at least 2 classes, received 1']);
    expect(messages({ layers: [{ kind: 'conv2d' }] })[0]).toMatch(/layers.0/);
  });

  it('lists every issue at once', () => {
    const spec = {
      layers: [
        { kind: 'dense', units: 0 },
        { kind: 'dropout', rate: 2 },
      ],
    } as HeadSpec;
    expect(headSpecIssues(spec)).toHaveLength(2);
  });
});

describe('parseHeadString', () => {
  it('parses the CLI syntax', () => {
    expect(parseHeadString('dense:128:relu,dropout:0.2')).toEqual({
      layers: [
        { kind: 'dense', units: 128, activation: 'relu' },
        { kind: 'dropout', rate: 0.2 },
      ],
    });
    expect(
      parseHeadString('gap, batchnorm:bn, dense:8:linear:fc, activation:tanh, flatten').layers.map((l) => l.kind),
    ).toEqual(['globalAveragePooling2d', 'batchNormalization', 'dense', 'activation', 'flatten']);
    expect(parseHeadString('')).toEqual({ layers: [] });
  });

  it('quotes the bad item', () => {
    expect(() => parseHeadString('dense:abc')).toThrow(
      /layer 0 \(dense\): "abc" is not a whole number of units; expected dense:UNITS/,
    );
    expect(() => parseHeadString('conv:3')).toThrow(
      /layer 0: "conv" is not a layer kind; use dense, dropout, batchnorm, activation, flatten or gap$/,
    );
    expect(() => parseHeadString('dense:3:wiggle')).toThrow(/"wiggle" is not an activation \(relu, /);
  });
});
