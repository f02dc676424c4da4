/**
 * The head of a model as data: a JSON list of Keras-like layers placed on top of a base's feature,
 * followed by the output Dense (sized to the class count, softmax, unless the user edits it).
 * Pure: no node, tfjs or electron imports; used by the UI, the CLI and the engine alike.
 */
import { z } from 'zod';

/** Activations a head layer may use (the tfjs names). */
export const ACTIVATIONS = ['relu', 'relu6', 'elu', 'selu', 'gelu', 'swish', 'tanh', 'sigmoid', 'softmax', 'linear'] as const;
export const Activation = z.enum(ACTIVATIONS);
export type Activation = z.infer<typeof Activation>;

/** Layer names: Keras-safe identifiers. */
export const LayerName = z.string().regex(/^[A-Za-z][\w.-]{0,99}$/, 'Layer names start with a letter and use letters, digits, _ . -');

const named = { /** The layer's name; Default: generated (`head_dense_1`, …). */ name: LayerName.optional() };

export const DenseSpec = z.object({ kind: z.literal('dense'), units: z.number(), activation: Activation.default('linear'), ...named }).strict();
export const DropoutSpec = z.object({ kind: z.literal('dropout'), rate: z.number(), ...named }).strict();
export const BatchNormSpec = z.object({ kind: z.literal('batchNormalization'), ...named }).strict();
export const ActivationSpec = z.object({ kind: z.literal('activation'), activation: Activation, ...named }).strict();
export const FlattenSpec = z.object({ kind: z.literal('flatten'), ...named }).strict();
export const GapSpec = z.object({ kind: z.literal('globalAveragePooling2d'), ...named }).strict();

/** One head layer. Numbers are checked by {@link validateHeadSpec}, which quotes bad values. */
export const LayerSpec = z.discriminatedUnion('kind', [DenseSpec, DropoutSpec, BatchNormSpec, ActivationSpec, FlattenSpec, GapSpec]);
export type LayerSpec = z.infer<typeof LayerSpec>;
export type LayerSpecInput = z.input<typeof LayerSpec>;
export type LayerKind = LayerSpec['kind'];

/** The output Dense when the user edits it. */
export const OutputSpec = z
  .object({
    /** Must equal the class count. Default: the class count. */
    units: z.number().optional(),
    /** Default: softmax. */
    activation: Activation.optional(),
    /** Default: "predictions". */
    name: LayerName.optional(),
  })
  .strict();
export type OutputSpec = z.infer<typeof OutputSpec>;

/** A head: hidden layers, then the output Dense. */
export const HeadSpec = z
  .object({
    layers: z.array(LayerSpec),
    /** Edited output layer. Default: Dense(class count, softmax) named "predictions". */
    output: OutputSpec.optional(),
  })
  .strict();
export type HeadSpec = z.infer<typeof HeadSpec>;

/** DESIGN §5 default head: Dense(128, relu) → Dropout(0.2) → Dense(C, softmax). */
export function defaultHeadSpec(): HeadSpec {
  return { layers: [{ kind: 'dense', units: 128, activation: 'relu' }, { kind: 'dropout', rate: 0.2 }] };
}

/** The name of the output layer when not edited. */
export const DEFAULT_OUTPUT_NAME = 'predictions';

/** Layers whose output is flat ([batch, n]) whatever their input. */
const FLATTENING: ReadonlySet<LayerKind> = new Set(['flatten', 'globalAveragePooling2d']);

/**
 * The name every head layer gets: its own, or `head_<kind>_<k>` counted per kind (Keras style,
 * prefixed so it never collides with a base layer).
 */
export function resolvedLayerNames(layers: readonly LayerSpec[]): string[] {
  const counts = new Map<string, number>();
  return layers.map((layer) => {
    const k = (counts.get(layer.kind) ?? 0) + 1;
    counts.set(layer.kind, k);
    return layer.name ?? `head_${snake(layer.kind)}_${k}`;
  });
}

function snake(kind: string): string {
  return kind === 'globalAveragePooling2d' ? 'global_average_pooling2d' : kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Where a head is placed: the base feature shape (without batch) and the class count. */
export interface HeadContext {
  /** e.g. [1280] or [7, 7, 1280]. Default: [1] (flat), which only allows flat layers. */
  featureShape?: readonly number[];
  /** Number of classes. Default: not checked. */
  numClasses?: number;
}

/** One problem found in a head spec, with the index of the layer (-1 = output, -2 = whole spec). */
export interface HeadSpecIssue {
  index: number;
  message: string;
}

/** Quotes a value the Keras way (kept local so this file stays dependency-free apart from zod). */
function q(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

/**
 * Every problem with a head spec, each message quoting the bad value, e.g.
 * `layer 1 (dense): expected units > 0, received 0`. Empty when the spec is valid.
 */
export function headSpecIssues(spec: HeadSpec, context: HeadContext = {}): HeadSpecIssue[] {
  const issues: HeadSpecIssue[] = [];
  const names = resolvedLayerNames(spec.layers);
  const seen = new Map<string, number>();
  let rank = context.featureShape?.length ?? 1;
  spec.layers.forEach((layer, index) => {
    const at = `layer ${index} (${layer.kind})`;
    const name = names[index]!;
    if (seen.has(name)) {
      issues.push({ index, message: `${at}: duplicate layer name ${q(name)} (also layer ${seen.get(name)})` });
    } else seen.set(name, index);
    if (layer.kind === 'dense' && !(Number.isInteger(layer.units) && layer.units > 0)) {
      issues.push({ index, message: `${at}: expected units to be an integer > 0, received ${q(layer.units)}` });
    }
    if (layer.kind === 'dense' && layer.units > 1_000_000) {
      issues.push({ index, message: `${at}: expected units ≤ 1000000, received ${q(layer.units)}` });
    }
    if (layer.kind === 'dropout' && !(Number.isFinite(layer.rate) && layer.rate >= 0 && layer.rate < 1)) {
      issues.push({ index, message: `${at}: expected rate in [0, 1), received ${q(layer.rate)}` });
    }
    if (layer.kind === 'globalAveragePooling2d' && rank !== 3) {
      issues.push({
        index,
        message: `${at}: a spatial layer needs a [height, width, channels] input, but it follows a flat output (rank ${rank}); received ${q(layer.kind)} after a flat layer`,
      });
    }
    if (layer.kind === 'flatten' && rank === 1) {
      issues.push({ index, message: `${at}: the input is already flat; received ${q(layer.kind)} after a flat layer` });
    }
    if (FLATTENING.has(layer.kind)) rank = 1;
  });
  const output = spec.output ?? {};
  const outName = output.name ?? DEFAULT_OUTPUT_NAME;
  if (seen.has(outName)) issues.push({ index: -1, message: `output: duplicate layer name ${q(outName)} (also layer ${seen.get(outName)})` });
  if (output.units !== undefined) {
    if (!(Number.isInteger(output.units) && output.units > 0)) {
      issues.push({ index: -1, message: `output: expected units to be an integer > 0, received ${q(output.units)}` });
    } else if (context.numClasses !== undefined && output.units !== context.numClasses) {
      issues.push({ index: -1, message: `output: expected units = ${context.numClasses} (the class count), received ${q(output.units)}` });
    }
  }
  if (output.activation !== undefined && !['softmax', 'sigmoid', 'linear'].includes(output.activation)) {
    issues.push({ index: -1, message: `output: expected activation softmax, sigmoid or linear, received ${q(output.activation)}` });
  }
  if (context.numClasses !== undefined && !(Number.isInteger(context.numClasses) && context.numClasses >= 2)) {
    issues.push({ index: -2, message: `expected at least 2 classes, received ${q(context.numClasses)}` });
  }
  if (rank !== 1) {
    issues.push({
      index: -1,
      message: `output: the head ends with a spatial output (rank ${rank}); add ${q('flatten')} or ${q('globalAveragePooling2d')} before the output`,
    });
  }
  return issues;
}

/** Thrown by {@link validateHeadSpec}; `issues` lists every problem. */
export class HeadSpecError extends Error {
  readonly issues: HeadSpecIssue[];
  constructor(issues: HeadSpecIssue[]) {
    super(`Invalid head: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'HeadSpecError';
    this.issues = issues;
  }
}

/**
 * Parses (with defaults) and checks a head spec.
 * @throws HeadSpecError listing every problem, each quoting the bad value.
 */
export function validateHeadSpec(spec: unknown, context: HeadContext = {}): HeadSpec {
  const parsed = HeadSpec.safeParse(spec);
  if (!parsed.success) {
    throw new HeadSpecError(
      parsed.error.issues.map((issue) => ({ index: -2, message: `${issue.path.join('.') || '(head)'}: ${issue.message}` })),
    );
  }
  const issues = headSpecIssues(parsed.data, context);
  if (issues.length > 0) throw new HeadSpecError(issues);
  return parsed.data;
}

/**
 * Parses the CLI's compact head syntax: comma-separated layers, fields split by `:`.
 * `dense:UNITS[:ACTIVATION[:NAME]]`, `dropout:RATE[:NAME]`, `batchnorm|batchNormalization[:NAME]`,
 * `activation:ACT[:NAME]`, `flatten[:NAME]`, `gap|globalAveragePooling2d[:NAME]`;
 * e.g. `dense:128:relu,dropout:0.2`. An empty string is a head with no hidden layers.
 * @throws HeadSpecError quoting the bad item.
 */
export function parseHeadString(text: string): HeadSpec {
  const layers: LayerSpec[] = [];
  const items = text.trim() === '' ? [] : text.split(',').map((s) => s.trim());
  items.forEach((item, index) => {
    const [kind = '', ...args] = item.split(':');
    const fail = (why: string): never => {
      throw new HeadSpecError([{ index, message: `layer ${index}: ${why}, received ${q(item)}` }]);
    };
    const num = (value: string | undefined, what: string): number => {
      const n = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(n)) fail(`expected a number for ${what}`);
      return n;
    };
    const name = (value: string | undefined) => (value ? { name: value } : {});
    const act = (value: string | undefined): Activation => {
      const parsed = Activation.safeParse(value);
      return parsed.success ? parsed.data : fail(`expected an activation (${ACTIVATIONS.join(', ')})`);
    };
    switch (kind.toLowerCase()) {
      case 'dense':
        layers.push({ kind: 'dense', units: num(args[0], 'units'), activation: args[1] ? act(args[1]) : 'linear', ...name(args[2]) });
        break;
      case 'dropout':
        layers.push({ kind: 'dropout', rate: num(args[0], 'rate'), ...name(args[1]) });
        break;
      case 'batchnorm':
      case 'batchnormalization':
        layers.push({ kind: 'batchNormalization', ...name(args[0]) });
        break;
      case 'activation':
        layers.push({ kind: 'activation', activation: act(args[0]), ...name(args[1]) });
        break;
      case 'flatten':
        layers.push({ kind: 'flatten', ...name(args[0]) });
        break;
      case 'gap':
      case 'globalaveragepooling2d':
        layers.push({ kind: 'globalAveragePooling2d', ...name(args[0]) });
        break;
      default:
        fail('expected dense, dropout, batchnorm, activation, flatten or gap');
    }
  });
  return { layers };
}
