import { z } from 'zod';
import { Activation, named, quote } from './common';
import type { HeadLayerKind } from './kind';

/** Dense: a fully connected layer. Default activation: linear (as Keras). */
export const DenseSpec = z
  .object({
    kind: z.literal('dense'),
    /** Number of outputs: a whole number from 1 to 1,000,000 (checked by `valueIssues`). */
    units: z.number(),
    /** Default: linear. */
    activation: Activation.default('linear'),
    ...named,
  })
  .strict();
export type DenseSpec = z.infer<typeof DenseSpec>;

export const denseLayer: HeadLayerKind<DenseSpec> = {
  kind: 'dense',
  label: 'Dense',
  shortLabel: 'Dense',
  help: 'A fully connected layer: every output mixes all inputs (units outputs, then the activation).',
  schema: DenseSpec,
  initial: () => ({ kind: 'dense', units: 64, activation: 'relu' }),
  fields: ['units', 'activation'],
  token: {
    names: ['dense'],
    args: 'UNITS[:ACTIVATION]',
    arity: 2,
    example: 'dense:128:relu',
    parse: (args, read) => ({
      kind: 'dense',
      units: read.wholeNumber(args[0], 'units'),
      activation: args[1] === undefined || args[1] === '' ? 'linear' : read.activation(args[1]),
    }),
    format: (spec) => [String(spec.units), spec.activation],
  },
  valueIssues: (spec) => {
    if (!(Number.isInteger(spec.units) && spec.units > 0))
      return [`expected units to be an integer > 0, received ${quote(spec.units)}`];
    if (spec.units > 1_000_000) return [`expected units ≤ 1000000, received ${quote(spec.units)}`];
    return [];
  },
  outputShape: (spec, input) => [...input.slice(0, -1), spec.units],
  params: (spec, input) => {
    const inputs = input.at(-1);
    return inputs === null || inputs === undefined ? null : (inputs + 1) * spec.units;
  },
};
