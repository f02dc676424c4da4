/**
 * Selects the tfjs wasm backend in Node / Electron main, where the .wasm binaries must be
 * located on disk (the default lookup uses a URL relative to the script, which fails in Node).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasm-gradients';
import { useFastWasmMatMul } from './wasm-matmul';
import { useFastPointwiseBackpropInput } from './wasm-gradients/pointwise-backprop-input';
import { useBroadcastBatchNormGradient } from './batchnorm-gradient';
import { useGlobalPoolGradient } from './global-pool-gradient';

/** Directory (with trailing separator) holding tfjs-backend-wasm*.wasm in the installed package. */
export function wasmBinariesDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

/**
 * Points tfjs-backend-wasm at its binaries, registers the missing conv gradient kernels
 * (so training works) and the fast transposed matmul, makes 'wasm' the active backend and waits until it is ready.
 * Throws with the backend name and binaries directory when the backend fails to initialise.
 */
export async function useWasmBackend(): Promise<void> {
  const dir = wasmBinariesDir();
  setWasmPaths(dir);
  registerWasmGradientKernels();
  useFastWasmMatMul();
  useFastPointwiseBackpropInput();
  useBroadcastBatchNormGradient();
  useGlobalPoolGradient();
  const ok = await tf.setBackend('wasm');
  if (!ok) {
    throw new Error(`tfjs backend 'wasm' failed to initialise (binaries looked up in ${JSON.stringify(dir)})`);
  }
  await tf.ready();
}
