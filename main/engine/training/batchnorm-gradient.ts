/**
 * The FusedBatchNorm gradient without Tile.
 *
 * tfjs-core's gradient (gradients/FusedBatchNorm_grad.ts) materialises rsqrt(variance + ε) at the full
 * input shape with `tile` before multiplying by dy. On wasm Tile is a slow generic loop: profiling a
 * fine-tuning step of MobileNetV2's top block, Tile took 238 of 1,514 kernel-ms. A broadcasting
 * multiply gives the same numbers (the same products, in the same order) without the copy. Only the
 * x gradient changes; the others are tfjs's own.
 */
import * as tf from '@tensorflow/tfjs';

const PATCHED = Symbol.for('transfer-studio.batchnorm-gradient');

/**
 * Replaces the registered FusedBatchNorm gradient by the one above (idempotent, every backend).
 * @returns true when replaced by this call; false when already replaced or tfjs has no such gradient.
 */
export function useBroadcastBatchNormGradient(): boolean {
  const original = tf.getGradient('FusedBatchNorm');
  if (!original || (original as unknown as Record<symbol, boolean>)[PATCHED]) return false;
  const gradFunc: tf.GradFunc = (dy, saved, attrs) => {
    const grads = original.gradFunc(dy, saved, attrs);
    const [x, mean, variance, scale] = saved as tf.Tensor[];
    if (mean!.rank !== 1) return grads;
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    return {
      ...grads,
      x: () => {
        const oneOverSqrtVariance = tf.rsqrt(tf.add(variance!, tf.scalar(varianceEpsilon)));
        return tf.reshape(tf.mul(tf.mul(dy as tf.Tensor, oneOverSqrtVariance), scale ?? tf.scalar(1)), x!.shape);
      },
    };
  };
  tf.registerGradient({ ...original, gradFunc, [PATCHED]: true } as tf.GradConfig);
  return true;
}
