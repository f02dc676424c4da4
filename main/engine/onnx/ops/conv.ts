/** Conv2D, DepthwiseConv2D and SeparableConv2D → ONNX Conv (kernels transposed to [out, in/group, kh, kw]). */
import type { Value } from '../graph';
import { paddingAttributes } from '../padding';
import { fusedActivation } from './activation';
import { type LayerContext, type LayerConverter, pair, requireWeight, unsupported, weightsOf } from './op';

/** [kh, kw, in, out] (TF) → [out, in, kh, kw] (ONNX). */
export function convKernel(data: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < cin!; i++)
        for (let o = 0; o < cout!; o++)
          out[((o * cin! + i) * kh! + y) * kw! + x] = data[((y * kw! + x) * cin! + i) * cout! + o]!;
  return out;
}

/** Depthwise [kh, kw, C, M] (TF) → [C·M, 1, kh, kw] (ONNX, group = C; output channel c·M + m as TF orders it). */
export function depthwiseKernel(data: Float32Array, [kh, kw, c, m]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < c!; i++)
        for (let j = 0; j < m!; j++) out[((i * m! + j) * kh! + y) * kw! + x] = data[((y * kw! + x) * c! + i) * m! + j]!;
  return out;
}

function checkChannelsLast(ctx: LayerContext): void {
  if ((ctx.config.dataFormat ?? 'channelsLast') !== 'channelsLast')
    throw unsupported(ctx.layer, 'dataFormat channelsFirst');
  if (ctx.inputs[0]!.shape.length !== 4)
    throw unsupported(ctx.layer, `input of rank ${ctx.inputs[0]!.shape.length} (expected 4)`);
}

/**
 * Emits one Conv node on the NCHW input: the layer's window, or (`withPads` false) a 1×1 pointwise conv.
 * `dilated` false: tfjs 4.22's DepthwiseConv2D layer passes no dilation to its kernel, so neither do we.
 */
function conv(
  ctx: LayerContext,
  input: Value,
  kernel: string,
  bias: string | undefined,
  group: number,
  withPads: boolean,
  hint: string,
  dilated = true,
): Value {
  const k = pair(ctx.config.kernelSize, 1);
  const strides = pair(ctx.config.strides, 1);
  const dilations = dilated ? pair(ctx.config.dilationRate, 1) : ([1, 1] as [number, number]);
  const pads = withPads
    ? paddingAttributes(ctx.config.padding, input.shape, k, strides, dilations)
    : { pads: [0, 0, 0, 0] };
  const attributes = {
    kernel_shape: withPads ? k : [1, 1],
    strides: withPads ? strides : [1, 1],
    dilations: withPads ? dilations : [1, 1],
    group,
    ...pads,
  };
  return {
    name: ctx.g.node('Conv', bias ? [input.name, kernel, bias] : [input.name, kernel], hint, attributes),
    layout: 'nchw',
    shape: ctx.outputShape,
  };
}

const conv2d: LayerConverter = (ctx) => {
  checkChannelsLast(ctx);
  const w = weightsOf(ctx.layer);
  const kernel = requireWeight(ctx.layer, w, 'kernel');
  const [kh, kw, cin, cout] = kernel.shape;
  const k = ctx.g.floats(`${ctx.hint}_W`, convKernel(kernel.data, kernel.shape), [cout!, cin!, kh!, kw!]);
  const bias =
    ctx.config.useBias === false
      ? undefined
      : ctx.g.floats(`${ctx.hint}_B`, requireWeight(ctx.layer, w, 'bias').data, [cout!]);
  const x = ctx.g.toGraphOrder(ctx.inputs[0]!, ctx.hint);
  return fusedActivation(ctx, conv(ctx, x, k, bias, 1, true, ctx.hint));
};

const depthwise: LayerConverter = (ctx) => {
  checkChannelsLast(ctx);
  const w = weightsOf(ctx.layer);
  const kernel = requireWeight(ctx.layer, w, 'depthwise_kernel');
  const [kh, kw, c, m] = kernel.shape;
  const k = ctx.g.floats(`${ctx.hint}_W`, depthwiseKernel(kernel.data, kernel.shape), [c! * m!, 1, kh!, kw!]);
  const bias =
    ctx.config.useBias === false
      ? undefined
      : ctx.g.floats(`${ctx.hint}_B`, requireWeight(ctx.layer, w, 'bias').data, [c! * m!]);
  const x = ctx.g.toGraphOrder(ctx.inputs[0]!, ctx.hint);
  return fusedActivation(ctx, conv(ctx, x, k, bias, c!, true, ctx.hint, false));
};

const separable: LayerConverter = (ctx) => {
  checkChannelsLast(ctx);
  const w = weightsOf(ctx.layer);
  const dk = requireWeight(ctx.layer, w, 'depthwise_kernel');
  const pk = requireWeight(ctx.layer, w, 'pointwise_kernel');
  const [kh, kw, c, m] = dk.shape;
  const [, , pin, pout] = pk.shape;
  const dName = ctx.g.floats(`${ctx.hint}_dw_W`, depthwiseKernel(dk.data, dk.shape), [c! * m!, 1, kh!, kw!]);
  const pName = ctx.g.floats(`${ctx.hint}_pw_W`, convKernel(pk.data, pk.shape), [pout!, pin!, 1, 1]);
  const bias =
    ctx.config.useBias === false
      ? undefined
      : ctx.g.floats(`${ctx.hint}_B`, requireWeight(ctx.layer, w, 'bias').data, [pout!]);
  const x = ctx.g.toGraphOrder(ctx.inputs[0]!, ctx.hint);
  const mid = conv(ctx, x, dName, undefined, c!, true, `${ctx.hint}_depthwise`);
  const out = { ...conv(ctx, mid, pName, bias, 1, false, ctx.hint) };
  return fusedActivation(ctx, out);
};

export const CONV_LAYERS: Record<string, LayerConverter> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwise,
  SeparableConv2D: separable,
};
