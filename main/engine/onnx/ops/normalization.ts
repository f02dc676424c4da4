/** BatchNormalization (inference: moving statistics, Keras's epsilon) and Rescaling. */
import { type LayerConverter, requireWeight, unsupported, weightsOf } from './op';

const batchNormalization: LayerConverter = (ctx) => {
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  const axis = Number(ctx.config.axis ?? -1);
  if (axis !== -1 && axis !== rank - 1)
    throw unsupported(ctx.layer, `normalisation over axis ${axis} (only the channel axis, last, is supported)`);
  const w = weightsOf(ctx.layer);
  const mean = requireWeight(ctx.layer, w, 'moving_mean');
  const variance = requireWeight(ctx.layer, w, 'moving_variance');
  const c = mean.data.length;
  const gamma = ctx.config.scale === false ? new Float32Array(c).fill(1) : requireWeight(ctx.layer, w, 'gamma').data;
  const beta = ctx.config.center === false ? new Float32Array(c) : requireWeight(ctx.layer, w, 'beta').data;
  const g = ctx.g;
  const inputs = [
    x.name,
    g.floats(`${ctx.hint}_gamma`, gamma, [c]),
    g.floats(`${ctx.hint}_beta`, beta, [c]),
    g.floats(`${ctx.hint}_mean`, mean.data, [c]),
    g.floats(`${ctx.hint}_var`, variance.data, [c]),
  ];
  const epsilon = Number(ctx.config.epsilon ?? 1e-3);
  if (rank === 2 || x.layout === 'nchw') {
    return { ...x, name: g.node('BatchNormalization', inputs, ctx.hint, { epsilon: { float: epsilon } }) };
  }
  // Channels last on rank 3 (or 4 not yet transposed): y = x·a + b with a = γ/√(σ²+ε), b = β − μ·a.
  const a = new Float32Array(c);
  const b = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    a[i] = gamma[i]! / Math.sqrt(variance.data[i]! + epsilon);
    b[i] = beta[i]! - mean.data[i]! * a[i]!;
  }
  const scaled = g.node('Mul', [x.name, g.floats(`${ctx.hint}_a`, a, [c])], `${ctx.hint}_mul`);
  return { ...x, name: g.node('Add', [scaled, g.floats(`${ctx.hint}_b`, b, [c])], ctx.hint) };
};

/** Rescaling: y = x·scale + offset. */
const rescaling: LayerConverter = (ctx) => {
  const x = ctx.inputs[0]!;
  const g = ctx.g;
  const scaled = g.node(
    'Mul',
    [x.name, g.floats(`${ctx.hint}_scale`, [Number(ctx.config.scale ?? 1)], [])],
    `${ctx.hint}_mul`,
  );
  return {
    ...x,
    name: g.node('Add', [scaled, g.floats(`${ctx.hint}_offset`, [Number(ctx.config.offset ?? 0)], [])], ctx.hint),
  };
};

export const NORMALIZATION_LAYERS: Record<string, LayerConverter> = {
  BatchNormalization: batchNormalization,
  Rescaling: rescaling,
};
