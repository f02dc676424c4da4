/**
 * Keeps optimizer state out of the subnormal float range.
 *
 * The moments/accumulators of weights whose gradient stays 0 (units a ReLU switched off, inputs that
 * are always 0) decay geometrically — Adam's m by 0.9 per step reaches the subnormal range
 * (< 1.2e-38) after ~800 steps. WebAssembly has no flush-to-zero mode and x86 computes on subnormals
 * 10–100× slower, so every later step slowed down (measured: head epochs went from 1.1 s to 2.3 s
 * from epoch 3 on). Every {@link FLUSH_EVERY} steps, state below {@link TINY} is set to 0; it then
 * stays 0 while its gradient is 0. Its share of any update is < TINY/ε = 1e-23, i.e. nothing.
 */
import * as tf from '@tensorflow/tfjs';

/** State smaller than this (in magnitude) is flushed to 0. */
export const TINY = 1e-30;
/** Flush period in steps: from TINY a moment needs > 700 steps (×0.9 each) to become subnormal. */
export const FLUSH_EVERY = 50;

/** `x` with entries of magnitude below {@link TINY} set to 0 (a new tensor). */
export function flushTiny(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.cast(tf.greater(tf.abs(x), TINY), x.dtype)));
}

/** True when this optimizer step should flush its state. */
export function isFlushStep(step: number): boolean {
  return step % FLUSH_EVERY === 0;
}

/**
 * Makes any tfjs optimizer (momentum, rmsprop, …) flush its per-variable state every
 * {@link FLUSH_EVERY} steps. The state is found generically: its array fields of `{variable}` slots
 * (tfjs' `accumulations`, `accumulatedMeanSquares`, …). Returns the same optimizer.
 */
export function withStateFlush<T extends tf.Optimizer>(optimizer: T): T {
  const apply = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (gradients) => {
    apply(gradients);
    if (isFlushStep(optimizer.iterations)) flushState(optimizer);
  };
  return optimizer;
}

function flushState(optimizer: tf.Optimizer): void {
  tf.tidy(() => {
    for (const field of Object.values(optimizer)) {
      if (!Array.isArray(field)) continue;
      for (const slot of field as unknown[]) {
        const variable = (slot as { variable?: unknown } | null)?.variable;
        if (variable instanceof tf.Variable) variable.assign(flushTiny(variable));
      }
    }
  });
}
