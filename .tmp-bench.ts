import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from './main/engine/training/wasm-setup.js';
await useWasmBackend();
function time(name: string, f: () => tf.Tensor, reps = 3) {
  const r0 = f(); r0.dataSync(); r0.dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) { const r = f(); r.dataSync(); r.dispose(); }
  console.log(name, ((performance.now() - t0) / reps).toFixed(1), 'ms');
}
// alternative per-tap matmul for conv filter grad
function tapsConv(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, s: number): tf.Tensor {
  return tf.tidy(() => {
    const [B, H, W, C] = x.shape; const [, oH, oW, Co] = dy.shape;
    const top = Math.floor(((oH - 1) * s + k - H) / 2);
    const bottom = (oH - 1) * s + k - H - top;
    const xp = tf.pad(x, [[0,0],[top,bottom],[top,bottom],[0,0]]);
    const n = B*oH*oW; const dy2 = tf.reshape(dy, [n, Co]);
    const taps = [];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) taps.push(tf.tidy(() => tf.matMul(tf.reshape(tf.stridedSlice(xp, [0,a,b,0],[B,a+(oH-1)*s+1,b+(oW-1)*s+1,C],[1,s,s,1]),[n,C]), dy2, true, false)));
    return tf.reshape(tf.stack(taps), [k,k,C,Co]);
  });
}
for (const [B, H, C, Co, k, s] of [[32, 56, 32, 64, 3, 1], [32, 112, 3, 32, 3, 2], [32, 28, 128, 128, 3, 1], [32, 14, 256, 256, 3, 2]]) {
  const x = tf.randomNormal([B, H, H, C]) as tf.Tensor4D;
  const f = tf.randomNormal([k, k, C, Co]) as tf.Tensor4D;
  const y = tf.conv2d(x, f, s, 'same');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  console.log(`conv x=${x.shape} f=${f.shape} s=${s}`);
  time(' forward conv2d', () => tf.conv2d(x, f, s, 'same'));
  time(' backprop input (native)', () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { strides: s, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape }) as tf.Tensor);
  time(' backprop filter (ours: conv)', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: f.shape }) as tf.Tensor);
  time(' backprop filter (alt: taps matmul)', () => tapsConv(x, dy, k, s));
  tf.dispose([x, f, y, dy]);
}
for (const [B, H, C, M, s] of [[32, 112, 32, 1, 1], [32, 112, 96, 1, 2], [32, 28, 192, 1, 1], [32, 14, 576, 1, 1], [32, 56, 64, 2, 1]]) {
  const x = tf.randomNormal([B, H, H, C]) as tf.Tensor4D;
  const f = tf.randomNormal([3, 3, C, M]) as tf.Tensor4D;
  const y = tf.depthwiseConv2d(x, f, s, 'same');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  console.log(`depthwise x=${x.shape} f=${f.shape} s=${s}`);
  time(' forward', () => tf.depthwiseConv2d(x, f, s, 'same'));
  time(' backprop filter', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: s, pad: 'same', dilations: 1, filterShape: f.shape }) as tf.Tensor);
  time(' backprop input', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { strides: s, pad: 'same', dilations: 1, inputShape: x.shape }) as tf.Tensor);
  tf.dispose([x, f, y, dy]);
}
console.log(tf.memory().numTensors);
