import * as tf from '@tensorflow/tfjs';
import type { BaseInfo, Scaling } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';

/**
 * Turns raw RGB pixels (0..255) into a base's input: float32 [N, S, S, 3] scaled per `info.scaling`
 * (`x/255`, `x/127.5-1` or `x`).
 * @param pixels NHWC RGB bytes of N images of `info.inputSize`² (a Uint8Array of N·S·S·3), or a
 *   tensor [S, S, 3] / [N, S, S, 3] of values 0..255 (not disposed).
 * @param info the base (only `inputSize` and `scaling` are read).
 * @throws StudioError BAD_INPUT when the size does not match the base's input.
 */
export function scalePixels(
  pixels: Uint8Array | tf.Tensor,
  info: Pick<BaseInfo, 'inputSize' | 'scaling'>,
): tf.Tensor4D {
  const side = info.inputSize;
  const perImage = side * side * 3;
  return tf.tidy(() => {
    let x: tf.Tensor;
    if (pixels instanceof Uint8Array) {
      if (pixels.length === 0 || pixels.length % perImage !== 0) {
        throw new StudioError(
          'BAD_INPUT',
          `Expected RGB bytes of ${side}×${side} images (a multiple of ${perImage}), received ${quote(pixels.length)} bytes.`,
        );
      }
      x = tf.tensor4d(pixels, [pixels.length / perImage, side, side, 3], 'int32');
    } else {
      x = pixels.rank === 3 ? pixels.expandDims(0) : pixels;
      const [, h, w, c] = x.shape;
      if (x.rank !== 4 || h !== side || w !== side || c !== 3) {
        throw new StudioError(
          'BAD_INPUT',
          `Expected images of shape [${side}, ${side}, 3], received ${quote(pixels.shape)}.`,
        );
      }
    }
    return applyScaling(x.toFloat(), info.scaling) as tf.Tensor4D;
  });
}

/** Applies a scaling to float pixels 0..255. */
export function applyScaling(x: tf.Tensor, scaling: Scaling): tf.Tensor {
  switch (scaling) {
    case 'x/255':
      return x.div(255);
    case 'x/127.5-1':
      return x.div(127.5).sub(1);
    case 'x':
      return x;
  }
}
