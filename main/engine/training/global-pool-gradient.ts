/**
 * The AvgPool gradient for a global pool (the window covers the whole input, as in Keras MobileNetV2's
 * final AveragePooling2D): dx = dy / (H·W) spread over every position, as a broadcasting multiply.
 * tfjs-core's gradient calls the AvgPoolGrad kernel, a generic loop on wasm (43 ms for [32,7,7,1280]
 * here). Every other window keeps tfjs's own gradient.
 */
import * as tf from '@tensorflow/tfjs';

const PATCHED = Symbol.for('transfer-studio.global-pool-gradient');

/** True when a pool of `filterSize` at `pad` over NHWC `xShape` reduces each channel to a single 1×1 value. */
export function isGlobalPool(xShape: readonly number[], filterSize: number | [number, number], pad: unknown): boolean {
  const [fh, fw] = Array.isArray(filterSize) ? filterSize : [filterSize, filterSize];
  return xShape.length === 4 && pad === 'valid' && fh === xShape[1] && fw === xShape[2];
}

/**
 * Replaces the registered AvgPool gradient by one with the global-pool shortcut above (idempotent).
 * @returns true when replaced by this call.
 */
export function useGlobalPoolGradient(): boolean {
  const original = tf.getGradient('AvgPool');
  if (!original || (original as unknown as Record<symbol, boolean>)[PATCHED]) return false;
  const gradFunc: tf.GradFunc = (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    const { filterSize, pad } = attrs as unknown as { filterSize: number | [number, number]; pad: unknown };
    if (!isGlobalPool(x!.shape, filterSize, pad)) return original.gradFunc(dy, saved, attrs);
    const area = x!.shape[1]! * x!.shape[2]!;
    return { x: () => tf.mul(tf.onesLike(x!), tf.div(dy as tf.Tensor, tf.scalar(area))) };
  };
  tf.registerGradient({ ...original, gradFunc, [PATCHED]: true } as tf.GradConfig);
  return true;
}
