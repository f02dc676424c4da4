/**
 * A faster BatchMatMul for the wasm backend when an operand is transposed.
 *
 * tfjs-backend-wasm 4.22 passes transposeA/transposeB to XNNPACK's slow path: measured here,
 * [32,1280]ᵀ·[32,128] takes 5.1 ms with the flag and 0.5 ms as an explicit Transpose followed by
 * a plain matmul (and [32,128]·[1280,128]ᵀ 4.1 ms vs 0.3 ms). Every Dense layer's backward pass
 * is exactly these two products, so head training (and fine-tuning) is ~8× slower than it needs
 * to be. This wraps the registered kernel: transposed operands are transposed explicitly first.
 * Results are identical up to float rounding order (the same products and sums).
 */
import * as tf from '@tensorflow/tfjs';
import { wrapKernel } from './wrap-kernel';

const PATCHED = Symbol.for('transfer-studio.wasm-matmul');

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type Backend = { disposeData(dataId: object): void };
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: Backend; attrs: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => TensorInfo;

/**
 * Replaces the wasm BatchMatMul kernel by one that transposes explicitly (idempotent; a no-op
 * when the wasm kernels are not registered). Safe before or after the backend initialises.
 * @returns true when the kernel was patched by this call.
 */
export function useFastWasmMatMul(): boolean {
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!transposeKernel) return false;
  const transpose = transposeKernel.kernelFunc as unknown as KernelFn;
  const swapLast = (x: TensorInfo, backend: Backend): TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    const n = perm.length;
    [perm[n - 2], perm[n - 1]] = [perm[n - 1]!, perm[n - 2]!];
    return transpose({ inputs: { x }, backend, attrs: { perm } });
  };
  return wrapKernel<KernelArgs>('BatchMatMul', 'wasm', PATCHED, (matMul) => ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return matMul({ inputs, backend, attrs });
    const a = transposeA ? swapLast(inputs.a!, backend) : inputs.a!;
    const b = transposeB ? swapLast(inputs.b!, backend) : inputs.b!;
    try {
      return matMul({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      if (transposeA) backend.disposeData(a.dataId);
      if (transposeB) backend.disposeData(b.dataId);
    }
  });
}
