import { z } from 'zod';
import { Activation, named } from './common';
import type { HeadLayerKind } from './kind';

/** Activation: applies a function to each value. */
export const ActivationSpec = z.object({ kind: z.literal('activation'), activation: Activation, ...named }).strict();
export type ActivationSpec = z.infer<typeof ActivationSpec>;

export const activationLayer: HeadLayerKind<ActivationSpec> = {
  kind: 'activation',
  label: 'Activation',
  shortLabel: 'Activation',
  help: 'Applies a function (relu, tanh, …) to each value; no weights.',
  schema: ActivationSpec,
  initial: () => ({ kind: 'activation', activation: 'relu' }),
  fields: ['activation'],
  token: {
    names: ['activation'],
    args: 'ACTIVATION',
    arity: 1,
    example: 'activation:relu',
    parse: (args, read) => ({ kind: 'activation', activation: read.activation(args[0]) }),
    format: (spec) => [spec.activation],
  },
  valueIssues: () => [],
  outputShape: (_spec, input) => input,
  params: () => 0,
};
