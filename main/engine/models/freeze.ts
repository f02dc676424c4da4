import type * as tf from '@tensorflow/tfjs';
import { FreezePolicy, type FreezePolicyInput } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';

/** The base layers of assembled models (set by `assembleModel`). */
const baseLayersOf = new WeakMap<tf.LayersModel, ReadonlySet<string>>();

/** Records which layers of an assembled model belong to its base. */
export function markBaseLayers(model: tf.LayersModel, names: Iterable<string>): void {
  baseLayersOf.set(model, new Set(names));
}

/** True when `layerName` is a base layer of `model` (every layer of a model that is not assembled). */
export function isBaseLayer(model: tf.LayersModel, layerName: string): boolean {
  const names = baseLayersOf.get(model);
  return names ? names.has(layerName) : true;
}

/** A group of consecutive base layers trained together ("block"). */
export interface LayerBlock {
  name: string;
  layers: string[];
}

/**
 * Groups base layers into blocks, bottom to top. MobileNetV2 (Keras names): `block_k_*` form block k,
 * `expanded_conv*` block 0, the stem before it is "stem", and the layers after the last block (Conv_1,
 * out_relu, pooling) join the top block. Other models: one block per layer that holds weights, with the
 * weightless layers that follow it.
 */
export function groupBlocks(layers: readonly tf.layers.Layer[]): LayerBlock[] {
  const blockKey = (name: string): string | undefined => {
    const m = /^block_(\d+)_/.exec(name);
    if (m) return `block_${m[1]}`;
    if (name.startsWith('expanded_conv')) return 'block_0';
    return undefined;
  };
  const isMobileNetV2 = layers.some((l) => blockKey(l.name) !== undefined);
  const blocks: LayerBlock[] = [];
  for (const layer of layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const last = blocks.at(-1);
    let key: string | undefined;
    if (isMobileNetV2) key = blockKey(layer.name) ?? last?.name ?? 'stem';
    else key = layer.weights.length > 0 || !last ? layer.name : last.name;
    if (last && last.name === key) last.layers.push(layer.name);
    else blocks.push({ name: key, layers: [layer.name] });
  }
  return blocks;
}

/** What `applyFreeze` did. */
export interface FreezeReport {
  /** Base layers set trainable. */
  trainable: string[];
  /** Base layers set frozen. */
  frozen: string[];
}

/**
 * Sets `trainable` on the base layers of `model` (a base from `loadBase`, or a model from `assembleModel`,
 * whose head layers stay trainable) per `policy`. Like Keras, a change takes effect at the next
 * `model.compile()` — recompile after calling this.
 * @throws StudioError BAD_INPUT for a per-layer toggle naming no base layer.
 */
export function applyFreeze(model: tf.LayersModel, policy: FreezePolicyInput = {}): FreezeReport {
  const parsed = FreezePolicy.parse(policy);
  const base = model.layers.filter((l) => isBaseLayer(model, l.name) && l.getClassName() !== 'InputLayer');
  const unfrozen = new Set<string>();
  if (parsed.mode === 'none') base.forEach((l) => unfrozen.add(l.name));
  if (parsed.mode === 'topLayers' && parsed.n > 0) {
    base
      .filter((l) => l.weights.length > 0)
      .slice(-parsed.n)
      .forEach((l) => unfrozen.add(l.name));
  }
  if (parsed.mode === 'topBlocks' && parsed.n > 0) {
    groupBlocks(base)
      .slice(-parsed.n)
      .forEach((block) => block.layers.forEach((name) => unfrozen.add(name)));
  }
  const names = new Set(base.map((l) => l.name));
  for (const [name, trainable] of Object.entries(parsed.layers)) {
    if (!names.has(name)) {
      throw new StudioError('BAD_INPUT', `Cannot toggle layer ${quote(name)}: the base has no such layer.`, {
        layer: name,
      });
    }
    if (trainable) unfrozen.add(name);
    else unfrozen.delete(name);
  }
  const report: FreezeReport = { trainable: [], frozen: [] };
  for (const layer of base) {
    layer.trainable = unfrozen.has(layer.name);
    (layer.trainable ? report.trainable : report.frozen).push(layer.name);
  }
  return report;
}
