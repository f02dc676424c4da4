/** MaxPooling2D, AveragePooling2D (padding excluded from the mean, as TF does), GlobalAverage/MaxPooling2D. */
import { paddingAttributes } from '../padding';
import { type LayerContext, type LayerConverter, pair, unsupported } from './op';

function pool(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx) => {
    check(ctx);
    const k = pair(ctx.config.poolSize, 2);
    const strides = pair(ctx.config.strides ?? ctx.config.poolSize, 2);
    const x = ctx.g.toGraphOrder(ctx.inputs[0]!, ctx.hint);
    const attributes = { kernel_shape: k, strides, ...paddingAttributes(ctx.config.padding, x.shape, k, strides) };
    if (op === 'AveragePool') Object.assign(attributes, { count_include_pad: 0 });
    return { name: ctx.g.node(op, [x.name], ctx.hint, attributes), layout: 'nchw', shape: ctx.outputShape };
  };
}

function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return (ctx) => {
    check(ctx);
    const x = ctx.g.toGraphOrder(ctx.inputs[0]!, ctx.hint);
    const pooled = ctx.g.node(op, [x.name], `${ctx.hint}_pool`);
    if (ctx.config.keepDims === true) return { name: pooled, layout: 'nchw', shape: ctx.outputShape };
    return { name: ctx.g.node('Flatten', [pooled], ctx.hint, { axis: 1 }), layout: 'plain', shape: ctx.outputShape };
  };
}

function check(ctx: LayerContext): void {
  if ((ctx.config.dataFormat ?? 'channelsLast') !== 'channelsLast')
    throw unsupported(ctx.layer, 'dataFormat channelsFirst');
  if (ctx.inputs[0]!.shape.length !== 4)
    throw unsupported(ctx.layer, `input of rank ${ctx.inputs[0]!.shape.length} (expected 4)`);
}

export const POOLING_LAYERS: Record<string, LayerConverter> = {
  MaxPooling2D: pool('MaxPool'),
  MaxPool2D: pool('MaxPool'),
  AveragePooling2D: pool('AveragePool'),
  AvgPool2D: pool('AveragePool'),
  GlobalAveragePooling2D: globalPool('GlobalAveragePool'),
  GlobalAvgPool2D: globalPool('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPool('GlobalMaxPool'),
  GlobalMaxPool2D: globalPool('GlobalMaxPool'),
};
