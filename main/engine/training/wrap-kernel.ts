/**
 * Wraps a registered tfjs kernel once: the new kernel function receives the original's, so it can handle the cases
 * it knows faster and hand every other call back. The one way this code base replaces a backend's kernel
 * (wasm-matmul.ts, wasm-gradients/pointwise-backprop-input.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** A kernel function as tfjs calls it. */
export type KernelFn<Args> = (args: Args) => tf.TensorInfo;

/**
 * Replaces kernel `name` of `backend` by `wrap(original)`, marked with `marker` so a second call does nothing.
 * @returns true when replaced by this call; false when already wrapped or the kernel is not registered.
 */
export function wrapKernel<Args>(
  name: string,
  backend: string,
  marker: symbol,
  wrap: (original: KernelFn<Args>) => KernelFn<Args>,
): boolean {
  const original = tf.getKernel(name, backend);
  if (!original || (original as unknown as Record<symbol, boolean>)[marker]) return false;
  const kernelFunc = wrap(original.kernelFunc as unknown as KernelFn<Args>);
  tf.unregisterKernel(name, backend);
  tf.registerKernel({
    ...original,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
    [marker]: true,
  } as tf.KernelConfig);
  return true;
}
