import { z } from 'zod';
import { named, sizeOf } from './common';
import type { HeadLayerKind } from './kind';

/** Flatten: lays a feature map out as one flat feature. */
export const FlattenSpec = z.object({ kind: z.literal('flatten'), ...named }).strict();
export type FlattenSpec = z.infer<typeof FlattenSpec>;

export const flattenLayer: HeadLayerKind<FlattenSpec> = {
  kind: 'flatten',
  label: 'Flatten',
  shortLabel: 'Flatten',
  help: 'Lays a feature map (height × width × channels) out as one flat feature of all its values.',
  schema: FlattenSpec,
  initial: () => ({ kind: 'flatten' }),
  fields: [],
  token: {
    names: ['flatten'],
    args: '',
    arity: 0,
    example: 'flatten',
    parse: () => ({ kind: 'flatten' }),
    format: () => [],
  },
  valueIssues: () => [],
  needs: 'a feature map to flatten (height × width × channels)',
  accepts: (input) => input.length > 1,
  outputShape: (_spec, input) => [sizeOf(input)],
  params: () => 0,
};
