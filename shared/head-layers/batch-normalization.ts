import { z } from 'zod';
import { named } from './common';
import type { HeadLayerKind } from './kind';

/** BatchNormalization: normalises each channel with learned scale and offset. */
export const BatchNormSpec = z.object({ kind: z.literal('batchNormalization'), ...named }).strict();
export type BatchNormSpec = z.infer<typeof BatchNormSpec>;

export const batchNormalizationLayer: HeadLayerKind<BatchNormSpec> = {
  kind: 'batchNormalization',
  label: 'BatchNormalization',
  shortLabel: 'BatchNorm',
  help: 'Normalises each channel to a steady mean and spread, with a learned scale and offset.',
  schema: BatchNormSpec,
  initial: () => ({ kind: 'batchNormalization' }),
  fields: [],
  token: {
    names: ['batchnorm', 'batchNormalization'],
    args: '',
    arity: 0,
    example: 'batchnorm',
    parse: () => ({ kind: 'batchNormalization' }),
    format: () => [],
  },
  valueIssues: () => [],
  outputShape: (_spec, input) => input,
  // gamma, beta, moving mean and moving variance: one each per channel.
  params: (_spec, input) => {
    const channels = input.at(-1);
    return channels === null || channels === undefined ? null : 4 * channels;
  },
};
