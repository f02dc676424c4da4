/**
 * Convolution gradient kernels missing from @tensorflow/tfjs-backend-wasm 4.22.
 *
 * The wasm backend implements Conv2D, DepthwiseConv2dNative and Conv2DBackpropInput but not
 * Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter nor
 * DepthwiseConv2dNativeBackpropInput, so `model.fit()` of any convolutional model throws
 * "Kernel '...' not registered for backend 'wasm'". This module registers those three
 * kernels for 'wasm', each expressed through tf ops the wasm backend does implement
 * (Conv2D with dilation, DepthwiseConv2dNative, BatchMatMul, Transpose, Pad, StridedSlice,
 * Reverse, Sum...). See the files in ./wasm-gradients/ for the maths of each kernel; the
 * unit tests prove them against the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterWasmConfig } from './wasm-gradients/conv2d-backprop-filter.js';
import { depthwiseBackpropFilterWasmConfig } from './wasm-gradients/depthwise-backprop-filter.js';
import { depthwiseBackpropInputWasmConfig } from './wasm-gradients/depthwise-backprop-input.js';

/** The kernel configs this module provides, all for backend 'wasm'. */
export const WASM_GRADIENT_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseBackpropFilterWasmConfig,
  depthwiseBackpropInputWasmConfig,
];

/**
 * Registers the missing convolution gradient kernels for the 'wasm' backend.
 *
 * Idempotent: a kernel already registered for 'wasm' (by an earlier call, or natively by a
 * future tfjs-backend-wasm) is left untouched, so no "already registered" warning is logged.
 * Can be called before or after the wasm backend is initialised; it does not select a backend.
 *
 * @returns the kernel names newly registered by this call (empty when nothing was missing).
 */
export function registerWasmGradientKernels(): string[] {
  const registered: string[] = [];
  for (const config of WASM_GRADIENT_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) != null) continue;
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
