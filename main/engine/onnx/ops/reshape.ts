/** Flatten (NHWC element order), Reshape, ZeroPadding2D, and the layers that are the identity at inference. */
import { type LayerConverter, unsupported } from './op';

const flatten: LayerConverter = (ctx) => {
  const x = ctx.g.toPlain(ctx.inputs[0]!, ctx.hint);
  if (x.shape.length === 2) return x;
  return { name: ctx.g.node('Flatten', [x.name], ctx.hint, { axis: 1 }), layout: 'plain', shape: ctx.outputShape };
};

const reshape: LayerConverter = (ctx) => {
  const x = ctx.g.toPlain(ctx.inputs[0]!, ctx.hint);
  // tfjs stores an unknown dimension (-1) as null.
  const target = ((ctx.config.targetShape as (number | null)[] | undefined) ?? ctx.outputShape.slice(1)).map((d) =>
    d === null ? -1 : Number(d),
  );
  // 0 keeps the batch axis; the target may hold one -1.
  const shape = ctx.g.int64s(`${ctx.hint}_shape`, [0, ...target]);
  const out = {
    name: ctx.g.node('Reshape', [x.name, shape], `${ctx.hint}_reshape`),
    layout: 'plain' as const,
    shape: ctx.outputShape,
  };
  return ctx.g.toGraphOrder(out, ctx.hint);
};

const zeroPadding: LayerConverter = (ctx) => {
  if ((ctx.config.dataFormat ?? 'channelsLast') !== 'channelsLast')
    throw unsupported(ctx.layer, 'dataFormat channelsFirst');
  const [top, bottom, left, right] = zeroPaddingOf(ctx.config.padding);
  const x = ctx.g.toGraphOrder(ctx.inputs[0]!, ctx.hint);
  const pads = ctx.g.int64s(`${ctx.hint}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return {
    name: ctx.g.node('Pad', [x.name, pads], ctx.hint, { mode: 'constant' }),
    layout: 'nchw',
    shape: ctx.outputShape,
  };
};

/** Keras ZeroPadding2D `padding` (int, [h, w] or [[top, bottom], [left, right]]) → [top, bottom, left, right]. */
export function zeroPaddingOf(raw: unknown): [number, number, number, number] {
  if (typeof raw === 'number') return [raw, raw, raw, raw];
  if (Array.isArray(raw) && Array.isArray(raw[0])) {
    const [[t, b], [l, r]] = raw as [[number, number], [number, number]];
    return [t, b, l, r];
  }
  if (Array.isArray(raw)) return [Number(raw[0]), Number(raw[0]), Number(raw[1]), Number(raw[1])];
  return [1, 1, 1, 1];
}

const identity: LayerConverter = (ctx) => ctx.inputs[0]!;

export const RESHAPE_LAYERS: Record<string, LayerConverter> = {
  Flatten: flatten,
  Reshape: reshape,
  ZeroPadding2D: zeroPadding,
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
};
