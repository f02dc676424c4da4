/** Activations (fused `activation` settings and the Activation / ReLU / LeakyReLU / ELU / Softmax layers). */
import type { GraphBuilder, Value } from '../graph';
import { type LayerContext, type LayerConverter, unsupported } from './op';

/** Activation names ONNX can express here (tfjs names; Keras's `silu` is tfjs's `swish`). */
export const SUPPORTED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'elu',
  'selu',
  'swish',
  'mish',
  'gelu',
] as const;

/**
 * `value` through activation `name` (same layout and shape), or undefined when ONNX has no form for it here.
 * Softmax is over the channel axis (Keras's last axis).
 */
export function activate(g: GraphBuilder, value: Value, name: string, hint: string): Value | undefined {
  const out = (op: string, inputs: string[], attributes = {}) => ({
    ...value,
    name: g.node(op, inputs, hint, attributes),
  });
  const x = value.name;
  switch (name) {
    case 'linear':
      return value;
    case 'relu':
      return out('Relu', [x]);
    case 'relu6':
      return out('Clip', [x, g.floats(`${hint}_min`, [0], []), g.floats(`${hint}_max`, [6], [])]);
    case 'sigmoid':
      return out('Sigmoid', [x]);
    case 'hardSigmoid':
      return out('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case 'tanh':
      return out('Tanh', [x]);
    case 'softmax':
      return out('Softmax', [x], { axis: value.layout === 'nchw' ? 1 : -1 });
    case 'softplus':
      return out('Softplus', [x]);
    case 'softsign':
      return out('Softsign', [x]);
    case 'elu':
      return out('Elu', [x], { alpha: { float: 1 } });
    case 'selu':
      return out('Selu', [x], { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } });
    case 'swish':
    case 'silu':
      return out('Mul', [x, g.node('Sigmoid', [x], `${hint}_sigmoid`)]);
    case 'mish': {
      const t = g.node('Tanh', [g.node('Softplus', [x], `${hint}_softplus`)], `${hint}_tanh`);
      return out('Mul', [x, t]);
    }
    case 'gelu': {
      // tfjs's gelu: 0.5·x·(1 + erf(x/√2)).
      const erf = g.node(
        'Erf',
        [g.node('Mul', [x, g.floats(`${hint}_rsqrt2`, [Math.SQRT1_2], [])], `${hint}_scaled`)],
        `${hint}_erf`,
      );
      const onePlus = g.node('Add', [erf, g.floats(`${hint}_one`, [1], [])], `${hint}_1perf`);
      const half = g.node('Mul', [x, g.floats(`${hint}_half`, [0.5], [])], `${hint}_halfx`);
      return out('Mul', [half, onePlus]);
    }
    default:
      return undefined;
  }
}

/** Applies a layer's fused `activation` setting, or throws naming the layer and the activation. */
export function fusedActivation(ctx: LayerContext, value: Value): Value {
  const name = String(ctx.config.activation ?? 'linear');
  const result = activate(ctx.g, value, name, ctx.hint);
  if (!result)
    throw unsupported(
      ctx.layer,
      `activation ${JSON.stringify(name)} is not one of ${SUPPORTED_ACTIVATIONS.join(', ')}`,
    );
  return result;
}

/** The activation layers. */
export const ACTIVATION_LAYERS: Record<string, LayerConverter> = {
  Activation: (ctx) => fusedActivation(ctx, ctx.inputs[0]!),
  ReLU: (ctx) => {
    const x = ctx.inputs[0]!;
    const max = ctx.config.maxValue;
    if (max === null || max === undefined) return { ...x, name: ctx.g.node('Relu', [x.name], ctx.hint) };
    const lo = ctx.g.floats(`${ctx.hint}_min`, [0], []);
    const hi = ctx.g.floats(`${ctx.hint}_max`, [Number(max)], []);
    return { ...x, name: ctx.g.node('Clip', [x.name, lo, hi], ctx.hint) };
  },
  LeakyReLU: (ctx) => {
    const x = ctx.inputs[0]!;
    return {
      ...x,
      name: ctx.g.node('LeakyRelu', [x.name], ctx.hint, { alpha: { float: Number(ctx.config.alpha ?? 0.3) } }),
    };
  },
  ELU: (ctx) => {
    const x = ctx.inputs[0]!;
    return { ...x, name: ctx.g.node('Elu', [x.name], ctx.hint, { alpha: { float: Number(ctx.config.alpha ?? 1) } }) };
  },
  Softmax: (ctx) => {
    const x = ctx.inputs[0]!;
    const axis = Number(ctx.config.axis ?? -1);
    const rank = x.shape.length;
    if (axis !== -1 && axis !== rank - 1)
      throw unsupported(ctx.layer, `softmax over axis ${axis} (only the last axis is supported)`);
    return activate(ctx.g, x, 'softmax', ctx.hint)!;
  },
};
