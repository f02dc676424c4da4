/**
 * Feature extraction as Keras does it with `Model(base.input, [base.get_layer(n).output …])`:
 * the outputs of named inner layers for a batch of images, in inference mode.
 */
import * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../shared/errors';
import { throwIfCancelled } from '../cancel';

export interface ExtractOptions {
  /** Images per forward pass. Default: 16. */
  batchSize?: number;
  /** Checked between batches. Default: none. */
  signal?: AbortSignal;
  /** Called after each batch with images done. Default: none. */
  onBatch?: (done: number) => void;
}

/**
 * A model from `model`'s input to the outputs of `layerNames` (shares weights; dispose it only by
 * dropping it — disposing would free the shared weights).
 * @throws StudioError BAD_INPUT naming a missing or multi-output layer.
 */
export function innerModel(model: tf.LayersModel, layerNames: readonly string[]): tf.LayersModel {
  const outputs = layerNames.map((name) => {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) {
      throw new StudioError('BAD_INPUT', `The model has no layer named ${quote(name)}.`, {
        layer: name,
        layers: model.layers.map((l) => l.name),
      });
    }
    if (layer.inboundNodes.length !== 1 || Array.isArray(layer.output)) {
      throw new StudioError('BAD_INPUT', `Layer ${quote(name)} has several outputs; choose a layer with one output.`, {
        layer: name,
      });
    }
    return layer.output as tf.SymbolicTensor;
  });
  return tf.model({ inputs: model.inputs, outputs });
}

/**
 * Outputs of inner layers for `images` (already scaled, e.g. by `scalePixels`), batch by batch in
 * inference mode. Returns one tensor per layer, [N, ...layer output shape]; the caller disposes them.
 * @param layerNames Default: the model's own output.
 */
export async function extractFeatures(
  model: tf.LayersModel,
  layerNames: readonly string[] | undefined,
  images: tf.Tensor4D,
  options: ExtractOptions = {},
): Promise<tf.Tensor[]> {
  const batchSize = options.batchSize ?? 16;
  const probe = layerNames && layerNames.length > 0 ? innerModel(model, layerNames) : model;
  const n = images.shape[0];
  const parts: tf.Tensor[][] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      if (options.signal) throwIfCancelled(options.signal);
      const outs = tf.tidy(() => {
        const batch = images.slice([start, 0, 0, 0], [Math.min(batchSize, n - start), -1, -1, -1]);
        const out = probe.predict(batch);
        return Array.isArray(out) ? out : [out];
      });
      parts.push(outs);
      options.onBatch?.(Math.min(start + batchSize, n));
      await tf.nextFrame();
    }
    const count = parts[0]?.length ?? probe.outputs.length;
    return Array.from({ length: count }, (_, i) =>
      parts.length === 1
        ? parts[0]![i]!
        : tf.concat(
            parts.map((p) => p[i]!),
            0,
          ),
    );
  } finally {
    if (parts.length > 1) parts.flat().forEach((t) => t.dispose());
  }
}
