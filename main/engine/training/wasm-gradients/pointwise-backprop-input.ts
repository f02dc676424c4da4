/**
 * A faster Conv2DBackpropInput on wasm for pointwise (1×1, stride 1) convolutions.
 *
 * tfjs-backend-wasm 4.22's Conv2DBackpropInput is a direct loop: measured here, the gradient of
 * MobileNetV2's Conv_1 ([32,7,7,1280] · [1,1,320,1280]ᵀ) takes 323 ms, while the same product as a
 * BatchMatMul (XNNPACK) takes ~30 ms. For a 1×1 kernel at stride 1 the input gradient is exactly
 *   dx[b,h,w,ci] = Σ_co dy[b,h,w,co] · W[0,0,ci,co]   i.e.  dx₂ = dy₂ · W₂ᵀ
 * with dy₂ = dy as [B·H·W, Co] and W₂ = W as [Ci, Co]. Every other geometry goes to the native kernel.
 * Results equal the native kernel's up to float summation order.
 */
import * as tf from '@tensorflow/tfjs';
import { wrapKernel } from '../wrap-kernel.js';
import { asTensor, runKernelBody, type KernelArgs } from './common.js';

const NAME = 'Conv2DBackpropInput';
const PATCHED = Symbol.for('transfer-studio.wasm-pointwise-backprop-input');

/** Attrs of the Conv2DBackpropInput kernel (tfjs-core kernel_names.d.ts). */
interface Attrs {
  strides: [number, number] | number;
  pad: unknown;
  dataFormat?: 'NHWC' | 'NCHW';
  inputShape: [number, number, number, number];
}

/** True when the call is the input gradient of a 1×1, stride-1, NHWC convolution without explicit padding ('same' pads nothing at 1×1). */
export function isPointwiseBackpropInput(filterShape: readonly number[], attrs: Partial<Attrs>): boolean {
  const strides = Array.isArray(attrs.strides) ? attrs.strides : [attrs.strides, attrs.strides];
  return (
    filterShape.length === 4 &&
    filterShape[0] === 1 &&
    filterShape[1] === 1 &&
    strides.every((s) => s === 1) &&
    (attrs.pad === 'valid' || attrs.pad === 'same' || attrs.pad === 0) &&
    (attrs.dataFormat == null || attrs.dataFormat === 'NHWC')
  );
}

/**
 * Wraps the registered wasm Conv2DBackpropInput so pointwise calls run as one matmul (idempotent; a no-op when
 * the wasm kernel is not registered). Safe before or after the backend initialises.
 * @returns true when the kernel was wrapped by this call.
 */
export function useFastPointwiseBackpropInput(): boolean {
  return wrapKernel<KernelArgs>(NAME, 'wasm', PATCHED, (native) => (args) => {
    const attrs = (args.attrs ?? {}) as unknown as Partial<Attrs>;
    const filterShape = (args.inputs.filter as tf.TensorInfo | undefined)?.shape ?? [];
    if (!isPointwiseBackpropInput(filterShape, attrs)) return native(args);
    return runKernelBody(() => {
      const dy = asTensor(args.inputs.dy, 'dy', NAME, args.backend);
      const filter = asTensor(args.inputs.filter, 'filter', NAME, args.backend);
      const [inC, outC] = [filter.shape[2]!, filter.shape[3]!];
      const rows = dy.size / outC;
      // Explicit transpose: wasm BatchMatMul with transposeB takes XNNPACK's slow path (wasm-matmul.ts).
      const dx = tf.matMul(tf.reshape(dy, [rows, outC]), tf.transpose(tf.reshape(filter, [inC, outC])));
      return tf.reshape(dx, attrs.inputShape!);
    });
  });
}
