import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { affineOf, pixelsScalingLayer, tmScalingLayer } from '../../../../../main/engine/export/input-scaling';
import { applyScaling } from '../../../../../main/engine/models/scale';
import type { Scaling } from '../../../../../shared/contract/models';

const scalings: Scaling[] = ['x/255', 'x/127.5-1', 'x'];

/** Builds the described layer in tfjs 4, sets its weights and applies it to `x` (the way loadLayersModel would). */
async function apply(spec: ReturnType<typeof tmScalingLayer>, x: tf.Tensor): Promise<tf.Tensor> {
  const className = spec.className;
  const config = { ...spec.config, name: spec.name, trainable: false };
  const built = await tf.models.modelFromJSON({
    modelTopology: {
      class_name: 'Model',
      config: {
        name: 'm',
        layers: [
          {
            name: 'in',
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 2, 2, 3], dtype: 'float32', name: 'in' },
            inbound_nodes: [],
          },
          { name: spec.name, class_name: className, config, inbound_nodes: [[['in', 0, 0, {}]]] },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [[spec.name, 0, 0]],
      },
    },
  } as never);
  if (spec.weights) built.getLayer(spec.name).setWeights(spec.weights.map((w) => tf.tensor1d(w.values)));
  const out = built.predict(x) as tf.Tensor;
  built.dispose();
  return out;
}

describe('input scaling layers', () => {
  const pixels = tf.tensor4d([0, 1, 2, 64, 127, 128, 200, 254, 255, 30, 90, 180], [1, 2, 2, 3]);

  it.each(scalings)(
    "the TF.js export's Rescaling maps raw pixels to the base's scaling %s (≤ 1e-6)",
    async (scaling) => {
      const spec = pixelsScalingLayer(scaling);
      if (scaling === 'x') return expect(spec).toBeUndefined();
      const out = await apply(spec!, pixels);
      const expected = applyScaling(pixels, scaling);
      expect(tf.max(tf.abs(tf.sub(out, expected))).dataSync()[0]).toBeLessThanOrEqual(1e-6);
      tf.dispose([out, expected]);
    },
  );

  it.each(scalings)(
    "the tm export's fixed BatchNormalization maps x/127 − 1 to the base's scaling %s",
    async (scaling) => {
      const tm = tf.tidy(() => pixels.div(127).sub(1));
      const out = await apply(tmScalingLayer(scaling), tm);
      const expected = applyScaling(pixels, scaling);
      const { scale } = affineOf(scaling);
      // float32 rounding of x/127 − 1 then the affine map: a few ulps of the output range.
      expect(tf.max(tf.abs(tf.sub(out, expected))).dataSync()[0]).toBeLessThanOrEqual(255 * scale * 1e-6);
      tf.dispose([tm, out, expected]);
    },
  );
});
