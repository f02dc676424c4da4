/**
 * The CLI's compact head syntax: comma-separated layer tokens, fields split by `:`, each kind's
 * token from the table, e.g. `dense:128:relu,dropout:0.2`. A bad token is refused quoting only the
 * offending part: `layer 0 (dense): "abc" is not a whole number of units; expected dense:UNITS[:ACTIVATION][:NAME]`.
 */
import { HeadSpecError } from '../head-spec-error';
import { ACTIVATIONS, Activation, LayerName, quote } from './common';
import { HEAD_LAYER_KINDS, kindOf, type LayerSpec } from './index';
import type { HeadLayerKind, TokenReader } from './kind';

/** A bad argument; the message quotes it. */
class TokenArgumentError extends Error {}

const reader: TokenReader = {
  wholeNumber(text, what) {
    if (text === undefined || text.trim() === '') throw new TokenArgumentError(`missing the ${what}`);
    const n = Number(text);
    if (!Number.isInteger(n)) throw new TokenArgumentError(`${quote(text)} is not a whole number of ${what}`);
    return n;
  },
  number(text, what) {
    if (text === undefined || text.trim() === '') throw new TokenArgumentError(`missing ${what}`);
    const n = Number(text);
    if (!Number.isFinite(n)) throw new TokenArgumentError(`${quote(text)} is not a number for ${what}`);
    return n;
  },
  activation(text) {
    const parsed = Activation.safeParse(text);
    if (parsed.success) return parsed.data;
    if (text === undefined || text === '')
      throw new TokenArgumentError(`missing the activation (${ACTIVATIONS.join(', ')})`);
    throw new TokenArgumentError(`${quote(text)} is not an activation (${ACTIVATIONS.join(', ')})`);
  },
};

/** How a kind is written, e.g. `dense:UNITS[:ACTIVATION][:NAME]`. */
export function tokenUsage(entry: HeadLayerKind<LayerSpec>): string {
  return `${entry.token.names[0]}${entry.token.args ? `:${entry.token.args}` : ''}[:NAME]`;
}

function entryNamed(word: string): HeadLayerKind<LayerSpec> | undefined {
  const lower = word.toLowerCase();
  return HEAD_LAYER_KINDS.find((entry) => entry.token.names.some((name) => name.toLowerCase() === lower));
}

/**
 * One layer from its token, e.g. `dense:128:relu:fc`.
 * @param index the layer's position, for messages.
 * @throws HeadSpecError quoting the offending part.
 */
export function parseLayerToken(token: string, index = 0): LayerSpec {
  const [word = '', ...args] = token.trim().split(':');
  const fail = (at: string, why: string): never => {
    throw new HeadSpecError([{ index, message: `layer ${index}${at}: ${why}` }]);
  };
  if (word === '')
    fail('', token.trim() === '' ? 'empty; remove the extra comma' : `missing the kind before ${quote(token.trim())}`);
  const entry = entryNamed(word);
  if (!entry) {
    const words = HEAD_LAYER_KINDS.map((k) => k.token.names[0]);
    return fail('', `${quote(word)} is not a layer kind; use ${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);
  }
  const at = ` (${entry.token.names[0]})`;
  const expected = `expected ${tokenUsage(entry)}, e.g. ${entry.token.example}`;
  const { arity } = entry.token;
  if (args.length > arity + 1) fail(at, `${quote(args.slice(arity + 1).join(':'))} comes after the name; ${expected}`);
  let layer: LayerSpec;
  try {
    layer = { ...entry.token.parse(args.slice(0, arity), reader) } as LayerSpec;
  } catch (error) {
    if (error instanceof TokenArgumentError) return fail(at, `${error.message}; ${expected}`);
    throw error;
  }
  const name = args[arity];
  if (name !== undefined && name !== '') {
    if (!LayerName.safeParse(name).success) {
      fail(at, `${quote(name)} is not a layer name (start with a letter, then letters, digits, _ . -)`);
    }
    layer.name = name;
  }
  return layer;
}

/** A layer's token, e.g. `dense:128:relu` or `gap:pool`; `parseLayerToken` reads it back to the same spec. */
export function formatLayerToken(layer: LayerSpec): string {
  const entry = kindOf(layer);
  return [entry.token.names[0], ...entry.token.format(layer), ...(layer.name ? [layer.name] : [])].join(':');
}

/**
 * Parses the CLI's compact head syntax: comma-separated layer tokens (see each kind's `token`):
 * `dense:UNITS[:ACTIVATION][:NAME]`, `dropout:RATE[:NAME]`, `batchnorm[:NAME]`, `activation:ACT[:NAME]`,
 * `flatten[:NAME]`, `gap[:NAME]`; kinds are case-insensitive and Keras names (`batchNormalization`,
 * `globalAveragePooling2d`) work too. An empty string is a head with no hidden layers.
 * @throws HeadSpecError quoting the offending part of the bad token.
 */
export function parseHeadString(text: string): { layers: LayerSpec[] } {
  if (text.trim() === '') return { layers: [] };
  return { layers: text.split(',').map((item, index) => parseLayerToken(item, index)) };
}

/** The tokens of every kind, for CLI help: `dense:UNITS[:ACTIVATION][:NAME], dropout:RATE[:NAME], …`. */
export function headTokenHelp(): string {
  return HEAD_LAYER_KINDS.map(tokenUsage).join(', ');
}

/** The CLI form of a head's hidden layers, e.g. `dense:128:relu,dropout:0.2`. */
export function formatHeadString(layers: readonly LayerSpec[]): string {
  return layers.map(formatLayerToken).join(',');
}
