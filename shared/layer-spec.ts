/**
 * The head of a model as data: a JSON list of Keras-like layers placed on top of a base's feature,
 * followed by the output Dense (sized to the class count, softmax, unless the user edits it).
 * Each layer kind lives in the table in ./head-layers (schema, CLI token, shapes, labels); this file
 * holds the head as a whole: its schema, default and validation. It re-exports the table for callers.
 * Pure: no node, tfjs or electron imports; used by the UI, the CLI and the engine alike.
 */
import { z } from 'zod';
import { HeadSpecError, type HeadSpecIssue } from './head-spec-error';
import { Activation, LayerName, LayerSpec, describeFeature, kindOf, type FeatureShape } from './head-layers/index';
import { traceHead } from './head-layers/head-trace';
import { resolvedLayerNames } from './head-layers/names';

export * from './head-layers/index';
export {
  traceHead,
  layerChoicesAt,
  canFollow,
  type HeadTrace,
  type LayerChoice,
  type TracedLayer,
} from './head-layers/head-trace';
export {
  formatHeadString,
  formatLayerToken,
  headTokenHelp,
  parseHeadString,
  parseLayerToken,
  tokenUsage,
} from './head-layers/head-string';
export { resolvedLayerNames } from './head-layers/names';
export { HeadSpecError, type HeadSpecIssue } from './head-spec-error';

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
  return {
    layers: [
      { kind: 'dense', units: 128, activation: 'relu' },
      { kind: 'dropout', rate: 0.2 },
    ],
  };
}

/** The name of the output layer when not edited. */
export const DEFAULT_OUTPUT_NAME = 'predictions';

/** Where a head is placed: the base feature shape (without batch) and the class count. */
export interface HeadContext {
  /** e.g. [1280] or [7, 7, 1280]. Default: a flat feature of unknown size, which only allows flat layers. */
  featureShape?: FeatureShape;
  /** Number of classes. Default: not checked. */
  numClasses?: number;
}

/** Quotes a value the Keras way. */
function q(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Every problem with a head spec, each message quoting the bad value (e.g.
 * `layer 1 (dense): expected units to be an integer > 0, received 0`) or, for a layer that cannot
 * follow its input, saying so in a sentence. Empty when the spec is valid.
 */
export function headSpecIssues(spec: HeadSpec, context: HeadContext = {}): HeadSpecIssue[] {
  const issues: HeadSpecIssue[] = [];
  const names = resolvedLayerNames(spec.layers);
  const seen = new Map<string, number>();
  const trace = traceHead(spec.layers, context.featureShape);
  spec.layers.forEach((layer, index) => {
    const at = `layer ${index} (${layer.kind})`;
    const name = names[index]!;
    if (seen.has(name)) {
      issues.push({ index, message: `${at}: duplicate layer name ${q(name)} (also layer ${seen.get(name)})` });
    } else seen.set(name, index);
    for (const message of kindOf(layer).valueIssues(layer)) issues.push({ index, message: `${at}: ${message}` });
    const refusal = trace.layers[index]?.refusal;
    if (refusal) issues.push({ index, message: `${at}: ${refusal}` });
  });
  const output = spec.output ?? {};
  const outName = output.name ?? DEFAULT_OUTPUT_NAME;
  if (seen.has(outName))
    issues.push({ index: -1, message: `output: duplicate layer name ${q(outName)} (also layer ${seen.get(outName)})` });
  if (output.units !== undefined) {
    if (!(Number.isInteger(output.units) && output.units > 0)) {
      issues.push({ index: -1, message: `output: expected units to be an integer > 0, received ${q(output.units)}` });
    } else if (context.numClasses !== undefined && output.units !== context.numClasses) {
      issues.push({
        index: -1,
        message: `output: expected units = ${context.numClasses} (the class count), received ${q(output.units)}`,
      });
    }
  }
  if (output.activation !== undefined && !['softmax', 'sigmoid', 'linear'].includes(output.activation)) {
    issues.push({
      index: -1,
      message: `output: expected activation softmax, sigmoid or linear, received ${q(output.activation)}`,
    });
  }
  if (context.numClasses !== undefined && !(Number.isInteger(context.numClasses) && context.numClasses >= 2)) {
    issues.push({ index: -2, message: `expected at least 2 classes, received ${q(context.numClasses)}` });
  }
  if (trace.output.length !== 1) {
    issues.push({
      index: -1,
      message: `output: the head ends with a spatial output (${describeFeature(trace.output)}), but the output Dense needs a flat feature; add Flatten or GlobalAveragePooling2D before the output`,
    });
  }
  return issues;
}

/**
 * Parses (with defaults) and checks a head spec.
 * @throws HeadSpecError listing every problem, each quoting the bad value.
 */
export function validateHeadSpec(spec: unknown, context: HeadContext = {}): HeadSpec {
  const parsed = HeadSpec.safeParse(spec);
  if (!parsed.success) {
    throw new HeadSpecError(
      parsed.error.issues.map((issue) => ({
        index: -2,
        message: `${issue.path.join('.') || '(head)'}: ${issue.message}`,
      })),
    );
  }
  const issues = headSpecIssues(parsed.data, context);
  if (issues.length > 0) throw new HeadSpecError(issues);
  return parsed.data;
}
