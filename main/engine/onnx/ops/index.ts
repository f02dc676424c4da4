/** Every layer class the converter knows, by tfjs class name. */
import { ACTIVATION_LAYERS } from './activation';
import { CONV_LAYERS } from './conv';
import { DENSE_LAYERS } from './dense';
import { MERGE_LAYERS } from './merge';
import { NORMALIZATION_LAYERS } from './normalization';
import type { LayerConverter } from './op';
import { POOLING_LAYERS } from './pooling';
import { RESHAPE_LAYERS } from './reshape';

export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  ...ACTIVATION_LAYERS,
  ...CONV_LAYERS,
  ...DENSE_LAYERS,
  ...MERGE_LAYERS,
  ...NORMALIZATION_LAYERS,
  ...POOLING_LAYERS,
  ...RESHAPE_LAYERS,
};
