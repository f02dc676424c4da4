import * as tf from '@tensorflow/tfjs';
import {
  DEFAULT_OUTPUT_NAME,
  resolvedLayerNames,
  validateHeadSpec,
  HeadSpecError,
  type HeadSpec,
} from '../../../shared/layer-spec';
import { StudioError } from '../../../shared/errors';
import { buildHeadLayer } from './head-layer-builders';

/**
 * The tfjs layers of a head, in order, ending with the output Dense (class count, softmax unless
 * edited). Fresh, unbuilt layers: apply them to a symbolic tensor or add them to a Sequential.
 * @throws StudioError BAD_INPUT quoting every invalid value.
 */
export function headLayers(spec: HeadSpec, featureShape: readonly number[], numClasses: number): tf.layers.Layer[] {
  let valid: HeadSpec;
  try {
    valid = validateHeadSpec(spec, { featureShape, numClasses });
  } catch (error) {
    if (error instanceof HeadSpecError) throw new StudioError('BAD_INPUT', error.message, { issues: error.issues });
    throw error;
  }
  const names = resolvedLayerNames(valid.layers);
  const layers = valid.layers.map((layer, i) => buildHeadLayer(layer, names[i]!));
  const output = valid.output ?? {};
  layers.push(
    tf.layers.dense({
      units: output.units ?? numClasses,
      activation: output.activation ?? 'softmax',
      name: output.name ?? DEFAULT_OUTPUT_NAME,
    }),
  );
  return layers;
}

/**
 * The head as a standalone `tf.Sequential` taking features of `featureShape` — what phase 1 trains on
 * cached features. Pass it to `assembleModel` to put it on its base (the layers, hence the weights,
 * are shared).
 * @param featureShape one feature without the batch axis, e.g. [1280] (BaseInfo.featureShape).
 * @param numClasses class count (≥ 2); the output Dense gets this many units unless edited.
 * @throws StudioError BAD_INPUT quoting every invalid value.
 */
export function buildHead(spec: HeadSpec, featureShape: readonly number[], numClasses: number): tf.Sequential {
  const layers = headLayers(spec, featureShape, numClasses);
  const model = tf.sequential({ name: 'head' });
  model.add(tf.layers.inputLayer({ inputShape: [...featureShape], name: 'head_input' }));
  for (const layer of layers) model.add(layer);
  return model;
}
