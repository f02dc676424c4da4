/**
 * The first layer of an exported model: it turns what the export's users feed into the base's scaling.
 * - TF.js export (input "pixels", raw 0–255): a Keras/tfjs `Rescaling` layer (tfjs 4 `loadLayersModel`
 *   knows it), `x·scale + offset`; none for bases that take raw pixels.
 * - Teachable Machine export (input "tm", `t = x/127 − 1`): tfjs 1.3 has no Rescaling, so a
 *   `BatchNormalization` layer with fixed statistics does the affine map: mean 0, variance 1 − ε (so
 *   √(var + ε) = 1), gamma = 127·a, beta = 127·a + b for the base's scaling `a·x + b`.
 */
import type { Scaling } from '../../../shared/contract/models';
import type { NewWeight } from './layers-model-files';

/** Name of the inserted layer. */
export const INPUT_SCALING_LAYER = 'input_scaling';

/** The base's scaling as `a·x + b` of pixels 0–255. */
export function affineOf(scaling: Scaling): { scale: number; offset: number } {
  switch (scaling) {
    case 'x/255':
      return { scale: 1 / 255, offset: 0 };
    case 'x/127.5-1':
      return { scale: 1 / 127.5, offset: -1 };
    case 'x':
      return { scale: 1, offset: 0 };
  }
}

export interface InputLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
  weights?: NewWeight[];
}

/** The Rescaling layer of the TF.js export; undefined when the base takes raw pixels (`x`). */
export function pixelsScalingLayer(scaling: Scaling): InputLayer | undefined {
  if (scaling === 'x') return undefined;
  const { scale, offset } = affineOf(scaling);
  return {
    name: INPUT_SCALING_LAYER,
    className: 'Rescaling',
    config: { scale, offset, trainable: false, dtype: 'float32' },
  };
}

/** ε of the Teachable Machine export's BatchNormalization. */
export const TM_EPSILON = 0.001;

/** The BatchNormalization layer of the Teachable Machine export: `x/127 − 1` → the base's scaling. */
export function tmScalingLayer(scaling: Scaling, channels = 3): InputLayer {
  const { scale, offset } = affineOf(scaling);
  const fill = (value: number): Float32Array => new Float32Array(channels).fill(value);
  return {
    name: INPUT_SCALING_LAYER,
    className: 'BatchNormalization',
    config: {
      axis: -1,
      momentum: 0.99,
      epsilon: TM_EPSILON,
      center: true,
      scale: true,
      beta_initializer: { class_name: 'Zeros', config: {} },
      gamma_initializer: { class_name: 'Ones', config: {} },
      moving_mean_initializer: { class_name: 'Zeros', config: {} },
      moving_variance_initializer: { class_name: 'Ones', config: {} },
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
      trainable: false,
    },
    weights: [
      { name: 'gamma', values: fill(127 * scale) },
      { name: 'beta', values: fill(127 * scale + offset) },
      { name: 'moving_mean', values: fill(0) },
      { name: 'moving_variance', values: fill(1 - TM_EPSILON) },
    ],
  };
}
