/**
 * A temperature baked into the classifier itself: its last layer is Dense(C, softmax), and
 * softmax((W·x + b) / T) = softmax((W/T)·x + b/T), so dividing that layer's kernel and bias by T makes the
 * model output calibrated probabilities in every format it is saved or exported to (tfjs, Teachable Machine,
 * Keras .h5, ONNX), with no new layer. Multiplying them by T again gives the raw model back
 * ({@link unbakeTemperature}): run.json (`calibration.temperature`) and metadata.json
 * (`transferStudio.calibration`) keep T for that.
 */
import * as tf from '@tensorflow/tfjs';

/** The output Dense a temperature can be baked into, or why there is none. */
export type OutputLayer = { layer: tf.layers.Layer } | { reason: string };

/** The model's last layer when it is Dense with a softmax activation; otherwise why it cannot be scaled. */
export function softmaxOutputOf(model: tf.LayersModel): OutputLayer {
  const layer = model.layers.at(-1);
  if (!layer) return { reason: 'the model has no layers' };
  const className = layer.getClassName();
  if (className !== 'Dense') {
    return { reason: `its last layer ${JSON.stringify(layer.name)} is ${className}, not Dense` };
  }
  const activation = layer.getConfig()['activation'];
  if (activation !== 'softmax') {
    return {
      reason: `its output layer ${JSON.stringify(layer.name)} has activation ${JSON.stringify(activation)}: temperature scaling needs softmax probabilities`,
    };
  }
  return { layer };
}

/** Multiplies the output Dense's kernel and bias by `factor` (tensors made here are disposed). */
function scaleOutput(model: tf.LayersModel, factor: (w: tf.Tensor) => tf.Tensor): string {
  const found = softmaxOutputOf(model);
  if ('reason' in found) throw new Error(`Cannot apply a temperature to this model: ${found.reason}.`);
  // getWeights() returns the variables' own tensors: never disposed here.
  const scaled = tf.tidy(() => found.layer.getWeights().map(factor));
  try {
    found.layer.setWeights(scaled);
  } finally {
    tf.dispose(scaled);
  }
  return found.layer.name;
}

/**
 * Divides the output Dense's kernel and bias by T: the model then outputs softmax(z / T).
 * @returns the name of the layer scaled.
 * @throws Error with the reason when the last layer is not Dense(softmax), or T is not a positive number.
 */
export function bakeTemperature(model: tf.LayersModel, temperature: number): string {
  checkTemperature(temperature);
  return scaleOutput(model, (w) => tf.div(w, temperature));
}

/** Undoes {@link bakeTemperature}: multiplies the output Dense's kernel and bias by T (the raw model again). */
export function unbakeTemperature(model: tf.LayersModel, temperature: number): string {
  checkTemperature(temperature);
  return scaleOutput(model, (w) => tf.mul(w, temperature));
}

function checkTemperature(temperature: number): void {
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new RangeError(`Expected a temperature > 0, received ${JSON.stringify(temperature)}.`);
  }
}
