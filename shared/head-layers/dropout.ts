import { z } from 'zod';
import { named, quote } from './common';
import type { HeadLayerKind } from './kind';

/** Dropout: zeroes a random fraction of its inputs while training. */
export const DropoutSpec = z
  .object({
    kind: z.literal('dropout'),
    /** Fraction of inputs dropped while training, in [0, 1) (checked by `valueIssues`). */
    rate: z.number(),
    ...named,
  })
  .strict();
export type DropoutSpec = z.infer<typeof DropoutSpec>;

export const dropoutLayer: HeadLayerKind<DropoutSpec> = {
  kind: 'dropout',
  label: 'Dropout',
  shortLabel: 'Dropout',
  help: 'While training, zeroes a random fraction (the rate) of its inputs, which fights overfitting.',
  schema: DropoutSpec,
  initial: () => ({ kind: 'dropout', rate: 0.2 }),
  fields: ['rate'],
  token: {
    names: ['dropout'],
    args: 'RATE',
    arity: 1,
    example: 'dropout:0.2',
    parse: (args, read) => ({ kind: 'dropout', rate: read.number(args[0], 'the rate') }),
    format: (spec) => [String(spec.rate)],
  },
  valueIssues: (spec) =>
    Number.isFinite(spec.rate) && spec.rate >= 0 && spec.rate < 1
      ? []
      : [`expected rate in [0, 1), received ${quote(spec.rate)}`],
  outputShape: (_spec, input) => input,
  params: () => 0,
};
