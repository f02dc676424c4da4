import * as tf from '@tensorflow/tfjs';
import type { FreezePolicyInput } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';
import { applyFreeze, markBaseLayers } from './freeze';

/**
 * Puts a head on a base as one functional tfjs model (input → base layers → head layers), like Keras's
 * `Model(base.input, head(base.output))` with the layers inlined so summaries, saving and export see every
 * layer. The layers are shared with `base` and `head` (no copies): training the result trains them.
 * The base is frozen by default (`applyFreeze`); compile the model after assembling. To free memory
 * dispose both the result and `head` (tfjs counts a layer's owners; weights go when the last one is disposed).
 * @param base a cut base from `loadBase` (its single output is the feature).
 * @param head the head from `buildHead` (a Sequential whose input matches the feature shape).
 * @param freeze Default: `{mode: 'all'}` (whole base frozen, head trainable).
 * @throws StudioError BAD_INPUT when head layer names collide with base layer names.
 */
export function assembleModel(
  base: tf.LayersModel,
  head: tf.Sequential,
  freeze: FreezePolicyInput = { mode: 'all' },
): tf.LayersModel {
  const baseNames = new Set(base.layers.map((l) => l.name));
  const headLayers = head.layers.filter((l) => l.getClassName() !== 'InputLayer');
  for (const layer of headLayers) {
    if (baseNames.has(layer.name)) {
      throw new StudioError(
        'BAD_INPUT',
        `Head layer name ${quote(layer.name)} is already used by a base layer; rename it.`,
        {
          layer: layer.name,
        },
      );
    }
  }
  let x = base.outputs[0]!;
  for (const layer of headLayers) x = layer.apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: x, name: 'classifier' });
  markBaseLayers(model, baseNames);
  applyFreeze(model, freeze);
  for (const layer of headLayers) layer.trainable = true;
  return model;
}
