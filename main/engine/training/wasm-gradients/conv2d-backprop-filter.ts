/**
 * Conv2DBackpropFilter for the wasm backend, built from kernels wasm has.
 *
 * dW[kh,kw,ci,co] = sum_{b,oh,ow} xpad[b, oh*sH + kh, ow*sW + kw, ci] * dy[b,oh,ow,co]
 *
 * That sum is itself a stride-1 convolution in which the batch axis plays the role of the
 * channel axis and the forward stride becomes the dilation:
 *   input  X' = transpose(x,  [3,1,2,0])  : [Ci, H, W, B]   (batch Ci, channels B)
 *   filter F' = transpose(dy, [1,2,0,3])  : [OH, OW, B, Co] (a kernel of OH x OW taps)
 *   conv2d(X', F', strides 1, dilations [sH,sW], pads [top, bottom'] x [left, right'])
 *     -> [Ci, KH, KW, Co] -> transpose [1,2,0,3] -> [KH, KW, Ci, Co]
 * bottom'/right' are chosen so the output is exactly KH x KW; when the forward pass left
 * rows/columns unused ((in + pads - k) not divisible by the stride) they are cropped away.
 * 1x1 convolutions without top/left padding (all pointwise layers) take a cheaper path:
 * subsample x by the stride, then one matMul.
 */
import * as tf from '@tensorflow/tfjs';
import {
  asShape4,
  asTensor,
  assertNHWC,
  assertTensor,
  cropAndPad,
  isZeroPad,
  runKernelBody,
  subsample,
  type KernelArgs,
  type PadAttr,
  type RoundingMode,
} from './common.js';

const NAME = 'Conv2DBackpropFilter';

/** Attrs of the Conv2DBackpropFilter kernel (tfjs-core kernel_names.d.ts). */
interface Attrs {
  strides: [number, number] | number;
  pad: PadAttr;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: RoundingMode;
  filterShape: [number, number, number, number];
}

/**
 * Kernel function: inputs {x: [B,H,W,Ci], dy: [B,OH,OW,Co]}, returns dW: filterShape.
 * Throws (quoting the received value) on NCHW, non-float32 or inconsistent shapes.
 */
export function conv2DBackpropFilterWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = (attrs ?? {}) as unknown as Attrs;
  assertNHWC(dataFormat, NAME);
  const fShape = asShape4(filterShape, 'filterShape', NAME);
  return runKernelBody(() => {
    const x = asTensor(inputs.x, 'x', NAME, backend) as tf.Tensor4D;
    const dy = asTensor(inputs.dy, 'dy', NAME, backend) as tf.Tensor4D;
    const xShape = asShape4(x.shape, 'x.shape', NAME);
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      fShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    assertTensor(x, [xShape[0], xShape[1], xShape[2], fShape[2]], 'x', NAME);
    assertTensor(dy, info.outShape, 'dy', NAME);
    const { strideHeight: sH, strideWidth: sW, outHeight: oH, outWidth: oW, filterHeight: kH, filterWidth: kW } = info;
    const { top, left } = info.padInfo;
    const [batch, inH, inW, inC] = xShape;
    const outC = fShape[3];

    if (kH === 1 && kW === 1 && top === 0 && left === 0) {
      // Pointwise: dW = Xs^T dy with Xs the input sampled at the strided positions. The
      // explicit transpose is deliberate: wasm BatchMatMul with transposeA is ~6x slower.
      const xs = subsample(x, sH, sW, oH, oW);
      const n = batch * oH * oW;
      const dw = tf.matMul(tf.transpose(tf.reshape(xs, [n, inC])), tf.reshape(dy, [n, outC]));
      return tf.reshape(dw, fShape);
    }

    // Rows read by the forward pass: from -top to (oH-1)*sH + kH - 1 - top (same for columns).
    const bottom = (oH - 1) * sH + kH - inH - top;
    const right = (oW - 1) * sW + kW - inW - left;
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [Ci, H, W, B]
    const { tensor: xIn, pad: convPad } = cropAndPad(xT, top, bottom, left, right);
    const dyF = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [OH, OW, B, Co]
    const g = tf.conv2d(xIn, dyF, 1, isZeroPad(convPad) ? 'valid' : convPad, 'NHWC', [sH, sW]);
    return tf.transpose(g, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  });
}

/** KernelConfig registered for 'wasm'. */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
};
