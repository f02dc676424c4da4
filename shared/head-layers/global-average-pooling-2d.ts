import { z } from 'zod';
import { named } from './common';
import type { HeadLayerKind } from './kind';

/** GlobalAveragePooling2D: averages a feature map over height and width, one value per channel. */
export const GapSpec = z.object({ kind: z.literal('globalAveragePooling2d'), ...named }).strict();
export type GapSpec = z.infer<typeof GapSpec>;

export const globalAveragePooling2dLayer: HeadLayerKind<GapSpec> = {
  kind: 'globalAveragePooling2d',
  label: 'GlobalAveragePooling2D',
  shortLabel: 'GlobalAvgPool',
  help: 'Averages a feature map over its height and width, leaving one value per channel.',
  schema: GapSpec,
  initial: () => ({ kind: 'globalAveragePooling2d' }),
  fields: [],
  token: {
    names: ['gap', 'globalAveragePooling2d'],
    args: '',
    arity: 0,
    example: 'gap',
    parse: () => ({ kind: 'globalAveragePooling2d' }),
    format: () => [],
  },
  valueIssues: () => [],
  needs: 'a spatial feature map (height × width × channels)',
  accepts: (input) => input.length === 3,
  outputShape: (_spec, input) => [input.at(-1) ?? null],
  params: () => 0,
};
