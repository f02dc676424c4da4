import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from './main/engine/training/wasm-setup.js';
await useWasmBackend();
function time(name: string, f: () => tf.Tensor, reps = 2) {
  const r0 = f(); r0.dataSync(); r0.dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) { const r = f(); r.dataSync(); r.dispose(); }
  console.log(name, ((performance.now() - t0) / reps).toFixed(1), 'ms');
}
// 1x1 conv: matmul path vs conv path
for (const [B, H, C, Co] of [[32, 56, 64, 128], [32, 14, 512, 512]]) {
  const x = tf.randomNormal([B, H, H, C]) as tf.Tensor4D; const dy = tf.randomNormal([B, H, H, Co]) as tf.Tensor4D;
  const n = B*H*H;
  console.log(`1x1 x=${x.shape} Co=${Co}`);
  time(' fwd', () => tf.conv2d(x, tf.randomNormal([1,1,C,Co]) as tf.Tensor4D, 1, 'valid'));
  time(' matMul tA', () => tf.tidy(() => tf.matMul(tf.reshape(x,[n,C]), tf.reshape(dy,[n,Co]), true, false)));
  time(' transpose+matMul', () => tf.tidy(() => tf.matMul(tf.transpose(tf.reshape(x,[n,C])), tf.reshape(dy,[n,Co]))));
  time(' conv path', () => tf.tidy(() => tf.conv2d(tf.transpose(x,[3,1,2,0]) as tf.Tensor4D, tf.transpose(dy,[1,2,0,3]) as tf.Tensor4D, 1, 'valid')));
  tf.dispose([x, dy]);
}
for (const [B, H, C, M, s] of [[32, 112, 96, 1, 2], [32, 28, 192, 1, 1], [32, 56, 64, 2, 1]]) {
  const x = tf.randomNormal([B, H, H, C]) as tf.Tensor4D;
  const oH = Math.ceil(H / s);
  const dy = tf.randomNormal([B, oH, oH, C * M]) as tf.Tensor4D;
  console.log(`depthwise x=${x.shape} M=${M} s=${s}`);
  const top = Math.floor(((oH - 1) * s + 3 - H) / 2); const bottom = (oH - 1) * s + 3 - H - top;
  const n = B * oH * oH;
  // variant D: depthwise conv with batch folded into channels, forward stride -> dilation
  time(' D: dwconv batch-as-channel', () => tf.tidy(() => {
    const xi = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, H, H, B * C]) as tf.Tensor4D;
    const fi = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [oH, oH, B * C, M]) as tf.Tensor4D;
    const g = tf.depthwiseConv2d(xi, fi, 1, [[0,0],[top,bottom],[top,bottom],[0,0]], 'NHWC', [s, s]);
    return tf.sum(tf.reshape(g, [9, B, C * M]), 1);
  }));
  // variant A: per tap mul + sum
  time(' A: per-tap mul+sum', () => tf.tidy(() => {
    const xp = tf.pad(x, [[0,0],[top,bottom],[top,bottom],[0,0]]);
    const dy3 = tf.reshape(dy, [n, C, M]);
    const taps = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) taps.push(tf.tidy(() => {
      const w = tf.reshape(tf.stridedSlice(xp, [0,a,b,0],[B,a+(oH-1)*s+1,b+(oH-1)*s+1,C],[1,s,s,1]), [n, C, 1]);
      return tf.sum(tf.reshape(tf.mul(w, dy3), [n, C * M]), 0);
    }));
    return tf.stack(taps);
  }));
  time(' A2: per-tap mul + ones matmul', () => tf.tidy(() => {
    const xp = tf.pad(x, [[0,0],[top,bottom],[top,bottom],[0,0]]);
    const dy3 = tf.reshape(dy, [n, C, M]);
    const ones = tf.ones([1, n]);
    const taps = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) taps.push(tf.tidy(() => {
      const w = tf.reshape(tf.stridedSlice(xp, [0,a,b,0],[B,a+(oH-1)*s+1,b+(oH-1)*s+1,C],[1,s,s,1]), [n, C, 1]);
      return tf.matMul(ones, tf.reshape(tf.mul(w, dy3), [n, C * M]));
    }));
    return tf.stack(taps);
  }));
  time(' current', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: s, pad: 'same', dilations: 1, filterShape: [3,3,C,M] }) as tf.Tensor);
  const xp = tf.pad(x, [[0,0],[top,bottom],[top,bottom],[0,0]]);
  time(' stridedSlice NHWC one tap', () => tf.stridedSlice(xp, [0,1,1,0],[B,1+(oH-1)*s+1,1+(oH-1)*s+1,C],[1,s,s,1]));
  const xT = tf.transpose(xp, [3,0,1,2]);
  time(' stridedSlice CF one tap', () => tf.stridedSlice(xT, [0,0,1,1],[C,B,1+(oH-1)*s+1,1+(oH-1)*s+1],[1,1,s,s]));
  time(' slice NHWC one tap', () => tf.slice(xp, [0,1,1,0],[B,(oH-1)*s+1,(oH-1)*s+1,C]));
  tf.dispose([x, dy, xp, xT]);
}
