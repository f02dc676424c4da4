/**
 * Setting a built architecture's weights from a keras.applications weights-only file, layer by layer and weight by
 * weight name. Layers Keras leaves unnamed (`conv2d`, `batch_normalization`, … — `conv2d_1`, … in Keras 2.0 files)
 * are matched in order of their number within their kind. Every layer with weights must get all of them with the
 * right shapes; the classifier of include_top files (`predictions`, older `Logits` / `fc1000`) is ignored.
 */
import * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../../../shared/errors';
import type { KerasLayerWeights } from '../../../export/keras-h5-file';

const UNNAMED = /^(conv2d|batch_normalization)(?:_(\d+))?$/;
const TOP_LAYERS = new Set(['predictions', 'Logits', 'fc1000']);

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, '');
}

/** Orders unnamed layers of one kind by their number (none = 0). */
function unnamed(names: string[], kind: string): string[] {
  return names
    .map((n) => ({ n, m: UNNAMED.exec(n) }))
    .filter(({ m }) => m?.[1] === kind)
    .sort((a, b) => Number(a.m![2] ?? 0) - Number(b.m![2] ?? 0))
    .map(({ n }) => n);
}

/**
 * Sets every weight of `model` from `layers` (a weights-only file's content).
 * @param file the file the weights come from (named in errors).
 * @param architecture its name, for errors.
 * @param fixed layers of the architecture that are not in the file (e.g. built-in preprocessing). Default: none.
 * @throws StudioError BAD_INPUT naming the file and the layer when a layer's weights are missing, extra or of
 *   another shape.
 */
export function setWeightsByName(
  model: tf.LayersModel,
  layers: KerasLayerWeights[],
  file: string,
  architecture: string,
  fixed: readonly string[] = [],
): void {
  const withWeights = layers.filter((l) => l.weights.length > 0);
  const byName = new Map(withWeights.map((l) => [l.layer, l]));
  const ours = model.layers.filter((l) => l.weights.length > 0 && !fixed.includes(l.name)).map((l) => l.name);
  // Unnamed layers: ours and the file's, both in order within their kind.
  const alias = new Map<string, string>();
  for (const kind of ['conv2d', 'batch_normalization']) {
    const mine = unnamed(ours, kind);
    const theirs = unnamed(
      withWeights.map((l) => l.layer),
      kind,
    );
    mine.forEach((name, k) => {
      if (theirs[k]) alias.set(name, theirs[k]);
    });
  }
  const bad = (why: string) =>
    new StudioError('BAD_INPUT', `${quote(file)} does not fit keras.applications ${architecture}: ${why}.`, {
      path: file,
    });
  const used = new Set<string>();
  for (const layer of model.layers) {
    if (layer.weights.length === 0 || fixed.includes(layer.name)) continue;
    const fileName = alias.get(layer.name) ?? layer.name;
    const entry = byName.get(fileName);
    if (!entry) throw bad(`layer ${quote(layer.name)} has no weights in the file`);
    used.add(fileName);
    const given = new Map(entry.weights.map((w) => [shortName(w.name), w]));
    if (given.size !== layer.weights.length) {
      throw bad(
        `layer ${quote(fileName)} has ${given.size} weights (${[...given.keys()].join(', ')}) but ${layer.name} ` +
          `needs ${layer.weights.length} (${layer.weights.map((w) => shortName(w.originalName)).join(', ')})`,
      );
    }
    const values = layer.weights.map((w) => {
      const short = shortName(w.originalName);
      const weight = given.get(short);
      if (!weight) throw bad(`layer ${quote(fileName)} has no weight ${quote(short)}`);
      if (weight.shape.join(',') !== w.shape.join(',')) {
        throw bad(
          `weight ${quote(weight.name)} of layer ${quote(fileName)} has shape ${quote(weight.shape)}, ` +
            `the architecture needs ${quote(w.shape)}`,
        );
      }
      return tf.tensor(weight.data, weight.shape, 'float32');
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
  const extra = withWeights.map((l) => l.layer).filter((n) => !used.has(n) && !TOP_LAYERS.has(n));
  if (extra.length > 0) throw bad(`the file has layers the architecture lacks: ${extra.slice(0, 5).join(', ')}`);
}
