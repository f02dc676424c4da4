/**
 * Shared helpers for the convolution-gradient kernels registered on the wasm backend
 * (see ../wasm-gradients.ts). Every kernel is expressed through tf ops that the wasm
 * backend implements natively; these helpers deal with attrs, geometry and tensor wrapping.
 */
import * as tf from '@tensorflow/tfjs';

/** Conv geometry as computed by tfjs itself (same rules as every other backend). */
export type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
/** Padding attr accepted by the conv kernels: 'same' | 'valid' | number | explicit 4x2 pairs. */
export type PadAttr = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
/** Rounding mode attr of the conv kernels. */
export type RoundingMode = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];
/** Explicit per-dimension padding, NHWC: [[0,0],[top,bottom],[left,right],[0,0]]. */
export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
/** 4-D shape tuple. */
export type Shape4 = [number, number, number, number];

/** Arguments tfjs passes to a kernelFunc. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/**
 * Turns a kernel input into a Tensor usable with tf ops. Inputs that already are Tensors
 * (the normal case: ops and gradients pass Tensors) are returned as is; a bare TensorInfo is
 * wrapped after increasing its backend ref count, so disposing the wrapper (e.g. by the
 * enclosing tf.tidy) is balanced. Must be called inside a tf.tidy.
 */
export function asTensor(
  info: tf.TensorInfo | undefined,
  name: string,
  kernelName: string,
  backend: tf.KernelBackend,
): tf.Tensor {
  if (info == null) {
    throw new Error(`${kernelName}: missing input '${name}' (received ${String(info)})`);
  }
  if (info instanceof tf.Tensor) return info;
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

/** Throws unless `shape` is a 4-D shape of positive integers; returns it typed. */
export function asShape4(shape: unknown, what: string, kernelName: string): Shape4 {
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new Error(`${kernelName}: ${what} must be 4 positive integers, received ${JSON.stringify(shape)}`);
  }
  return shape as Shape4;
}

/** Throws unless the tensor has float32 dtype and the expected 4-D shape. */
export function assertTensor(t: tf.Tensor, expected: readonly number[], what: string, kernelName: string): void {
  if (t.dtype !== 'float32') {
    throw new Error(`${kernelName}: ${what} must be float32, received dtype '${t.dtype}'`);
  }
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernelName}: ${what} must have shape [${expected.join(',')}], received [${t.shape.join(',')}]`);
  }
}

/** Throws unless dilations are 1 (tfjs gradients never pass anything else; cpu ignores them). */
export function assertUnitDilations(dilations: unknown, kernelName: string): void {
  if (dilations == null) return;
  const d = Array.isArray(dilations) ? dilations : [dilations, dilations];
  if (d.some((v) => v !== 1)) {
    throw new Error(`${kernelName}: only dilations 1 are supported on wasm, received ${JSON.stringify(dilations)}`);
  }
}

/** Throws unless the data format is NHWC (the only layout the wasm conv kernels support). */
export function assertNHWC(dataFormat: unknown, kernelName: string): void {
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(
      `${kernelName}: only dataFormat 'NHWC' is supported on wasm, received ${JSON.stringify(dataFormat)}`,
    );
  }
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor.
 * Returns the cropped tensor and the remaining non-negative padding as an explicit pad attr,
 * so the padding itself can be folded into the following convolution.
 */
export function cropAndPad(
  t: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { tensor: tf.Tensor4D; pad: ExplicitPad } {
  const [b, h, w, c] = t.shape;
  const cropTop = Math.max(0, -top);
  const cropLeft = Math.max(0, -left);
  const keepH = h - cropTop - Math.max(0, -bottom);
  const keepW = w - cropLeft - Math.max(0, -right);
  if (keepH <= 0 || keepW <= 0) {
    throw new Error(
      `cropAndPad: crop leaves nothing of [${t.shape.join(',')}] with pads ${top},${bottom},${left},${right}`,
    );
  }
  const cropped = keepH === h && keepW === w ? t : tf.slice(t, [0, cropTop, cropLeft, 0], [b, keepH, keepW, c]);
  return {
    tensor: cropped,
    pad: [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ],
  };
}

/**
 * Samples an NHWC tensor at rows 0, sH, 2sH, ... (oH of them) and columns 0, sW, ... (oW),
 * zero-filling positions beyond the input. Built from rank-4 reshape/slice only: on wasm,
 * StridedSlice is ~15x and a rank-6 Slice ~80x slower than a rank-4 Slice.
 */
export function subsample(t: tf.Tensor4D, sH: number, sW: number, oH: number, oW: number): tf.Tensor4D {
  const [b, h, w, c] = t.shape;
  if (sH === 1 && sW === 1 && oH === h && oW === w) return t;
  const { tensor, pad } = cropAndPad(t, 0, oH * sH - h, 0, oW * sW - w);
  const full = isZeroPad(pad) ? tensor : tf.pad(tensor, pad);
  // [B, oH*sH, oW*sW, C] -> [B*oH, sH, oW, sW*C]: row phase on axis 1, column phase inside axis 3.
  const folded = tf.reshape(full, [b * oH, sH, oW, sW * c]);
  return tf.reshape(tf.slice(folded, [0, 0, 0, 0], [b * oH, 1, oW, c]), [b, oH, oW, c]);
}

/**
 * Inverse of subsample: spreads an NHWC tensor [B,oH,oW,C] onto a grid of stride (sH,sW),
 * returning [B, oH*sH, oW*sW, C] with input value (i,j) at (i*sH, j*sW) and zeros elsewhere.
 * Rank-4 pad/reshape only (see subsample for why).
 */
export function upsampleWithZeros(t: tf.Tensor4D, sH: number, sW: number): tf.Tensor4D {
  const [b, oH, oW, c] = t.shape;
  if (sH === 1 && sW === 1) return t;
  const folded = tf.reshape(t, [b * oH, 1, oW, c]);
  const padded = tf.pad(folded, [
    [0, 0],
    [0, sH - 1],
    [0, 0],
    [0, (sW - 1) * c],
  ]); // [B*oH, sH, oW, sW*C]
  return tf.reshape(padded, [b, oH * sH, oW * sW, c]);
}

/** True when an explicit pad is all zeros (then 'valid' is passed, the cheapest form). */
export function isZeroPad(pad: ExplicitPad): boolean {
  return pad.every(([a, b]) => a === 0 && b === 0);
}

/**
 * Runs `body` inside tf.tidy and returns its result as the kernel output. The returned
 * Tensor is a TensorInfo owned by the caller of the kernel; every intermediate is disposed.
 */
export function runKernelBody(body: () => tf.Tensor): tf.TensorInfo {
  return tf.tidy(body);
}
