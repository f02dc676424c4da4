/** Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate (Keras axis mapped to the NCHW graph). */
import type { Value } from '../graph';
import { type LayerContext, type LayerConverter, unsupported } from './op';

/** All inputs in one layout: NCHW when every input is rank 4, Keras order otherwise. */
function aligned(ctx: LayerContext): Value[] {
  const allRank4 = ctx.inputs.every((v) => v.shape.length === 4);
  return ctx.inputs.map((v, i) =>
    allRank4 ? ctx.g.toGraphOrder(v, `${ctx.hint}_in${i}`) : ctx.g.toPlain(v, `${ctx.hint}_in${i}`),
  );
}

function merge(op: 'Sum' | 'Mul' | 'Sub' | 'Mean' | 'Max' | 'Min'): LayerConverter {
  return (ctx) => {
    const inputs = aligned(ctx);
    if (op === 'Sub' && inputs.length !== 2)
      throw unsupported(ctx.layer, `Subtract of ${inputs.length} inputs (expected 2)`);
    let name: string;
    if (op === 'Mul') {
      name = inputs[0]!.name;
      for (let i = 1; i < inputs.length; i++)
        name = ctx.g.node('Mul', [name, inputs[i]!.name], i === inputs.length - 1 ? ctx.hint : `${ctx.hint}_${i}`);
    } else {
      name = ctx.g.node(
        op,
        inputs.map((v) => v.name),
        ctx.hint,
      );
    }
    return { name, layout: inputs[0]!.layout, shape: ctx.outputShape };
  };
}

/** Keras axis (channels last) → graph axis for a value in `layout`. */
export function graphAxis(axis: number, rank: number, layout: Value['layout']): number {
  const a = axis < 0 ? axis + rank : axis;
  if (layout !== 'nchw') return a;
  return [0, 2, 3, 1][a]!;
}

const concatenate: LayerConverter = (ctx) => {
  const inputs = aligned(ctx);
  const rank = inputs[0]!.shape.length;
  const axis = graphAxis(Number(ctx.config.axis ?? -1), rank, inputs[0]!.layout);
  return {
    name: ctx.g.node(
      'Concat',
      inputs.map((v) => v.name),
      ctx.hint,
      { axis },
    ),
    layout: inputs[0]!.layout,
    shape: ctx.outputShape,
  };
};

export const MERGE_LAYERS: Record<string, LayerConverter> = {
  Add: merge('Sum'),
  Subtract: merge('Sub'),
  Multiply: merge('Mul'),
  Average: merge('Mean'),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  Concatenate: concatenate,
};
