/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend, built from kernels wasm has.
 *
 * dx[b,i,j,c] = sum_{kh,kw,m} dy[b,oh,ow,c*M+m] * w[kh,kw,c,m]  over i = oh*sH + kh - top,
 * j = ow*sW + kw - left. This is the transposed depthwise convolution, computed as:
 *   1. upsample dy by the stride, inserting sH-1 / sW-1 zero rows / columns
 *      (rank-4 pad + reshape, see common.ts upsampleWithZeros);
 *   2. a stride-1 depthwise conv with the spatially flipped filter, reshaped to
 *      [KH,KW,C*M,1] so each of the C*M dy channels is convolved with its own tap set,
 *      padded by KH-1-top rows on top and whatever makes the output exactly H rows at the
 *      bottom (cropping instead when that amount is negative; same for columns);
 *   3. when M > 1, summing the M adjacent channels of each group (innermost axis, no transpose).
 */
import * as tf from '@tensorflow/tfjs';
import {
  asShape4,
  asTensor,
  assertTensor,
  assertUnitDilations,
  cropAndPad,
  isZeroPad,
  runKernelBody,
  upsampleWithZeros,
  type KernelArgs,
  type PadAttr,
  type RoundingMode,
} from './common.js';

const NAME = 'DepthwiseConv2dNativeBackpropInput';

/** Attrs of the DepthwiseConv2dNativeBackpropInput kernel (tfjs-core kernel_names.d.ts). */
interface Attrs {
  strides: [number, number] | number;
  dilations?: [number, number] | number;
  pad: PadAttr;
  dimRoundingMode?: RoundingMode;
  inputShape: [number, number, number, number];
}

/**
 * Kernel function: inputs {dy: [B,OH,OW,C*M], filter: [KH,KW,C,M]}, returns dx: inputShape.
 * Throws (quoting the received value) on dilations != 1, non-float32 or inconsistent shapes.
 */
export function depthwiseBackpropInputWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = (attrs ?? {}) as unknown as Attrs;
  assertUnitDilations(dilations, NAME);
  const xShape = asShape4(inputShape, 'inputShape', NAME);
  return runKernelBody(() => {
    const dy = asTensor(inputs.dy, 'dy', NAME, backend) as tf.Tensor4D;
    const filter = asTensor(inputs.filter, 'filter', NAME, backend) as tf.Tensor4D;
    const fShape = asShape4(filter.shape, 'filter.shape', NAME);
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      fShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      true,
      'channelsLast',
    );
    assertTensor(filter, [fShape[0], fShape[1], xShape[3], fShape[3]], 'filter', NAME);
    assertTensor(dy, info.outShape, 'dy', NAME);
    const { strideHeight: sH, strideWidth: sW, outHeight: oH, outWidth: oW, filterHeight: kH, filterWidth: kW } = info;
    const { top, left } = info.padInfo;
    const [batch, inH, inW, chans] = xShape;
    const mult = fShape[3];
    const cm = chans * mult;

    const up = upsampleWithZeros(dy, sH, sW); // [B, oH*sH, oW*sW, C*M]
    // Output row i reads up-rows i - (kH-1-top) .. i + top; i runs over 0..inH-1.
    const padTop = kH - 1 - top;
    const padLeft = kW - 1 - left;
    const { tensor: upc, pad: p } = cropAndPad(
      up,
      padTop,
      inH - 1 + top - (oH * sH - 1),
      padLeft,
      inW - 1 + left - (oW * sW - 1),
    );
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kH, kW, cm, 1]) as tf.Tensor4D;
    const g = tf.depthwiseConv2d(upc, flipped, 1, isZeroPad(p) ? 'valid' : p); // [B, H, W, C*M]
    return mult === 1 ? g : tf.sum(tf.reshape(g, [batch, inH, inW, chans, mult]), 4);
  });
}

/** KernelConfig registered for 'wasm'. */
export const depthwiseBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInputWasm as unknown as tf.KernelFunc,
};
