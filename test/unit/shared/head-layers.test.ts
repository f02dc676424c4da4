import { describe, expect, it } from 'vitest';
import {
  HEAD_LAYER_KINDS,
  HeadSpecError,
  LayerSpec,
  formatHeadString,
  formatLayerToken,
  headSpecIssues,
  layerChoicesAt,
  layerKind,
  parseHeadString,
  parseLayerToken,
  traceHead,
  type LayerSpecInput,
} from '../../../shared/layer-spec';

/** The message a bad token is refused with. */
function refusal(token: string): string {
  try {
    parseLayerToken(token);
  } catch (error) {
    expect(error).toBeInstanceOf(HeadSpecError);
    return (error as HeadSpecError).issues.map((i) => i.message).join('; ');
  }
  throw new Error(`expected ${JSON.stringify(token)} to be refused`);
}

describe('the table of head layer kinds', () => {
  it('has one entry per kind of LayerSpec, each with a label, help, token and initial layer of its kind', () => {
    expect(HEAD_LAYER_KINDS.map((k) => k.kind)).toEqual([
      'dense',
      'dropout',
      'batchNormalization',
      'activation',
      'flatten',
      'globalAveragePooling2d',
    ]);
    for (const entry of HEAD_LAYER_KINDS) {
      expect(entry.label).toMatch(/^[A-Z]\w+$/);
      expect(entry.help).toMatch(/^[A-Z].+\.$/);
      expect(entry.initial().kind).toBe(entry.kind);
      expect(LayerSpec.parse(entry.initial())).toEqual(entry.initial());
      expect(entry.valueIssues(entry.initial())).toEqual([]);
      expect(layerKind(entry.kind)).toBe(entry);
    }
  });

  it('round-trips every kind through the CLI token: token → spec → token and spec → token → spec', () => {
    for (const entry of HEAD_LAYER_KINDS) {
      for (const token of [entry.token.example, `${entry.token.example}:my_layer`]) {
        const spec = parseLayerToken(token);
        expect(spec.kind).toBe(entry.kind);
        expect(formatLayerToken(spec)).toBe(token);
      }
      for (const spec of [entry.initial(), { ...entry.initial(), name: 'named.layer-1' }]) {
        expect(parseLayerToken(formatLayerToken(spec))).toEqual(spec);
      }
    }
    const head = 'dense:128:relu,dropout:0.2,batchnorm:bn,activation:tanh,flatten,gap,dense:8:linear:fc';
    expect(formatHeadString(parseHeadString(head).layers)).toBe(head);
  });

  it('round-trips every kind through the schema, filling the Keras defaults', () => {
    for (const entry of HEAD_LAYER_KINDS) {
      const spec = entry.initial();
      expect(entry.schema.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
      expect(LayerSpec.parse(parseLayerToken(formatLayerToken(spec)))).toEqual(spec);
    }
    expect(LayerSpec.parse({ kind: 'dense', units: 4 } satisfies LayerSpecInput)).toEqual({
      kind: 'dense',
      units: 4,
      activation: 'linear',
    });
    expect(parseLayerToken('dense:4')).toEqual({ kind: 'dense', units: 4, activation: 'linear' });
    expect(LayerSpec.safeParse({ kind: 'dense', units: 4, rate: 0.1 }).success).toBe(false); // strict: no stray fields
  });

  it('reads kinds case-insensitively, with the Keras names as aliases', () => {
    expect(parseLayerToken('BatchNormalization').kind).toBe('batchNormalization');
    expect(parseLayerToken('GlobalAveragePooling2D:pool')).toEqual({ kind: 'globalAveragePooling2d', name: 'pool' });
    expect(parseLayerToken(' Dense:16:ReLU '.toLowerCase())).toEqual({ kind: 'dense', units: 16, activation: 'relu' });
  });

  it('refuses a bad token quoting only the offending part', () => {
    const units = refusal('dense:abc:relu');
    expect(units).toBe(
      'layer 0 (dense): "abc" is not a whole number of units; ' +
        'expected dense:UNITS[:ACTIVATION][:NAME], e.g. dense:128:relu',
    );
    expect(units).not.toContain('dense:abc:relu');
    expect(refusal('dense:1.5')).toMatch(/^layer 0 \(dense\): "1.5" is not a whole number of units/);
    expect(refusal('dense')).toMatch(/^layer 0 \(dense\): missing the units; expected dense:UNITS/);
    expect(refusal('dropout:lots')).toMatch(
      /^layer 0 \(dropout\): "lots" is not a number for the rate; expected dropout:RATE\[:NAME\]/,
    );
    expect(refusal('activation:wiggle')).toMatch(
      /^layer 0 \(activation\): "wiggle" is not an activation \(relu, relu6, /,
    );
    expect(refusal('dense:8:relu:9lives')).toMatch(/"9lives" is not a layer name \(start with a letter/);
    expect(refusal('gap:pool:extra')).toMatch(/^layer 0 \(gap\): "extra" comes after the name; expected gap\[:NAME\]/);
    expect(refusal('conv2d:3')).toBe(
      'layer 0: "conv2d" is not a layer kind; use dense, dropout, batchnorm, activation, flatten or gap',
    );
    expect(() => parseHeadString('dense:8,')).toThrow(/layer 1: empty; remove the extra comma/);
    expect(() => parseHeadString('dense:8,dropout:x')).toThrow(/layer 1 \(dropout\): "x" is not a number/);
  });
});

describe('shapes and what may follow what', () => {
  it('traces output shapes and parameter counts layer by layer', () => {
    const { layers } = parseHeadString('flatten,dense:32:relu,batchnorm,dropout:0.5,activation:tanh');
    const trace = traceHead(layers, [7, 7, 16]);
    expect(trace.layers.map((l) => l.output)).toEqual([[784], [32], [32], [32], [32]]);
    expect(trace.layers.map((l) => l.params)).toEqual([0, 785 * 32, 4 * 32, 0, 0]);
    expect(trace.output).toEqual([32]);
    expect(traceHead(parseHeadString('gap').layers, [7, 7, 1280]).output).toEqual([1280]);
    expect(traceHead(parseHeadString('dense:8').layers).layers[0]!.params).toBeNull(); // unknown feature size
  });

  it('refuses a kind that cannot follow a flat feature with a sentence, not a quoted kind', () => {
    const issues = headSpecIssues(parseHeadString('gap,dense:8'), { featureShape: [1280] });
    expect(issues.map((i) => i.message)).toEqual([
      'layer 0 (globalAveragePooling2d): GlobalAveragePooling2D needs ' +
        'a spatial feature map (height × width × channels), ' +
        'but the base gives a flat feature of 1,280 values; remove it or pick a base cut at a spatial layer.',
    ]);
    expect(issues[0]!.message).not.toMatch(/received/);
    const later = headSpecIssues(parseHeadString('dense:8,flatten'), { featureShape: [1280] });
    expect(later[0]!.message).toBe(
      'layer 1 (flatten): Flatten needs a feature map to flatten (height × width × channels), ' +
        'but its input is a flat feature ' +
        "of 8 values, shaped like the base's feature; remove it or pick a base cut at a spatial layer.",
    );
    const unknown = headSpecIssues(parseHeadString('gap'));
    expect(unknown[0]!.message).toMatch(/but the base gives a flat feature; remove it/);
  });

  it('offers at each place only the kinds that can follow the input there, with the reason for the others', () => {
    const flat = layerChoicesAt([], 0, [1280]);
    expect(flat.filter((c) => !c.refusal).map((c) => c.entry.kind)).toEqual([
      'dense',
      'dropout',
      'batchNormalization',
      'activation',
    ]);
    expect(flat.find((c) => c.entry.kind === 'globalAveragePooling2d')!.refusal).toBe(
      'Needs a spatial feature map (height × width × channels); here the input is a flat feature of 1,280 values.',
    );
    const { layers } = parseHeadString('dense:8,gap,dense:4');
    expect(layerChoicesAt(layers, 0, [7, 7, 1280]).every((c) => !c.refusal)).toBe(true);
    expect(layerChoicesAt(layers, 1, [7, 7, 1280]).every((c) => !c.refusal)).toBe(true); // after Dense: 7 × 7 × 8
    expect(layerChoicesAt(layers, 2, [7, 7, 1280]).find((c) => c.entry.kind === 'flatten')!.refusal).toMatch(
      /flat feature of 8 values/,
    );
  });
});
