/** Frees the weights and optimizers of models that may share layers (base, head and the classifier built from both). */
import type * as tf from '@tensorflow/tfjs';

/**
 * Disposes every optimizer and every distinct weight of `models` exactly once: a layer shared by several models
 * is freed a single time, and a weight already disposed elsewhere is skipped. `undefined` entries (a model never
 * built) are ignored.
 */
export function disposeModels(models: readonly (tf.LayersModel | undefined)[]): void {
  const variables = new Set<tf.LayerVariable>();
  for (const model of models) {
    if (!model) continue;
    for (const weight of model.weights) variables.add(weight);
    model.optimizer?.dispose();
  }
  for (const variable of variables) {
    try {
      variable.dispose();
    } catch {
      // already disposed
    }
  }
}
