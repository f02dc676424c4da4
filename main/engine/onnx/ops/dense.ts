/** Dense → Gemm on [N, in] inputs, MatMul + Add on the last axis of higher ranks. */
import { fusedActivation } from './activation';
import { type LayerConverter, requireWeight, weightsOf } from './op';

const dense: LayerConverter = (ctx) => {
  const w = weightsOf(ctx.layer);
  const kernel = requireWeight(ctx.layer, w, 'kernel');
  const [units] = kernel.shape.slice(-1);
  const k = ctx.g.floats(`${ctx.hint}_W`, kernel.data, kernel.shape);
  const b =
    ctx.config.useBias === false
      ? undefined
      : ctx.g.floats(`${ctx.hint}_B`, requireWeight(ctx.layer, w, 'bias').data, [units!]);
  const x = ctx.g.toPlain(ctx.inputs[0]!, ctx.hint);
  let name: string;
  if (x.shape.length === 2) {
    name = ctx.g.node('Gemm', b ? [x.name, k, b] : [x.name, k], ctx.hint);
  } else {
    name = ctx.g.node('MatMul', [x.name, k], b ? `${ctx.hint}_matmul` : ctx.hint);
    if (b) name = ctx.g.node('Add', [name, b], ctx.hint);
  }
  return fusedActivation(ctx, { name, layout: 'plain', shape: ctx.outputShape });
};

export const DENSE_LAYERS: Record<string, LayerConverter> = { Dense: dense };
