/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend, built from kernels wasm has.
 *
 * dW[kh,kw,c,m] = sum_{b,oh,ow} xpad[b, oh*sH + kh, ow*sW + kw, c] * dy[b,oh,ow,c*M + m]
 *
 * Unlike the dense case there is no reduction over channels, so a single convolution does
 * not express it efficiently (batch-as-channel would need a depthwise kernel of OH x OW taps
 * with multiplier M, which XNNPACK runs as a badly tiled grouped GEMM). Instead, per filter
 * tap (kh,kw) the strided window of the padded input is multiplied with dy and reduced over
 * every position: KH*KW passes, each linear in the size of dy, no KH*KW-fold memory.
 * Layout is channels-first so each tap is one batched mat-vec product:
 *   X  = transpose(pad(x), [3,0,1,2])            : [C, B, Hp, Wp]
 *   DY = transpose(reshape(dy, [N, C, M]), [1,0,2]) : [C, N, M]   (N = B*OH*OW)
 *   tap(kh,kw) = matMul(reshape(X[:, :, kh::sH, kw::sW], [C, 1, N]), DY) : [C, 1, M]
 * The taps are concatenated to [C, KH*KW, M] and rearranged to [KH, KW, C, M].
 */
import * as tf from '@tensorflow/tfjs';
import {
  asShape4, asTensor, assertTensor, assertUnitDilations, cropAndPad, isZeroPad, runKernelBody,
  type KernelArgs, type PadAttr, type RoundingMode,
} from './common.js';

const NAME = 'DepthwiseConv2dNativeBackpropFilter';

/** Attrs of the DepthwiseConv2dNativeBackpropFilter kernel (tfjs-core kernel_names.d.ts). */
interface Attrs {
  strides: [number, number] | number;
  dilations?: [number, number] | number;
  pad: PadAttr;
  dimRoundingMode?: RoundingMode;
  filterShape: [number, number, number, number];
}

/**
 * Kernel function: inputs {x: [B,H,W,C], dy: [B,OH,OW,C*M]}, returns dW: [KH,KW,C,M].
 * Throws (quoting the received value) on dilations != 1, non-float32 or inconsistent shapes.
 */
export function depthwiseBackpropFilterWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = (attrs ?? {}) as unknown as Attrs;
  assertUnitDilations(dilations, NAME);
  const fShape = asShape4(filterShape, 'filterShape', NAME);
  return runKernelBody(() => {
    const x = asTensor(inputs.x, 'x', NAME, backend) as tf.Tensor4D;
    const dy = asTensor(inputs.dy, 'dy', NAME, backend) as tf.Tensor4D;
    const xShape = asShape4(x.shape, 'x.shape', NAME);
    const info = tf.backend_util.computeConv2DInfo(xShape, fShape, strides, 1, pad, dimRoundingMode, true, 'channelsLast');
    assertTensor(x, [xShape[0], xShape[1], xShape[2], fShape[2]], 'x', NAME);
    assertTensor(dy, info.outShape, 'dy', NAME);
    const { strideHeight: sH, strideWidth: sW, outHeight: oH, outWidth: oW, filterHeight: kH, filterWidth: kW } = info;
    const { top, left } = info.padInfo;
    const [batch, inH, inW, chans] = xShape;
    const mult = fShape[3];
    const n = batch * oH * oW;

    // Rows read by the forward pass: from -top to (oH-1)*sH + kH - 1 - top (same for columns).
    const { tensor: xc, pad: p } = cropAndPad(x, top, (oH - 1) * sH + kH - inH - top, left, (oW - 1) * sW + kW - inW - left);
    const xp = isZeroPad(p) ? xc : tf.pad(xc, p);
    const xT = tf.transpose(xp, [3, 0, 1, 2]); // [C, B, Hp, Wp]
    const dyT = tf.transpose(tf.reshape(dy, [n, chans, mult]), [1, 0, 2]); // [C, N, M]
    const taps: tf.Tensor[] = [];
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        taps.push(tf.tidy(() => {
          const win = tf.stridedSlice(xT, [0, 0, kh, kw],
            [chans, batch, kh + (oH - 1) * sH + 1, kw + (oW - 1) * sW + 1], [1, 1, sH, sW]);
          return tf.matMul(tf.reshape(win, [chans, 1, n]), dyT); // [C, 1, M]
        }));
      }
    }
    const all = taps.length === 1 ? taps[0] : tf.concat(taps, 1); // [C, KH*KW, M]
    return tf.reshape(tf.transpose(all, [1, 0, 2]), fShape);
  });
}

/** KernelConfig registered for 'wasm'. */
export const depthwiseBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilterWasm as unknown as tf.KernelFunc,
};
