/**
 * Editing a head spec like Keras builds a Sequential: add, pop (Keras `model.pop()`: delete the latest
 * layer), insert, remove, move, rename. Pure: every operation returns a new spec and never mutates.
 * Positions are 0-based indexes into `spec.layers`; a layer can also be named.
 * Errors are `HeadSpecError`s quoting the bad value. Run `validateHeadSpec` on the result to check it
 * against a base and class count.
 */
import {
  HeadSpecError,
  LayerName,
  LayerSpec,
  resolvedLayerNames,
  type HeadSpec,
  type LayerSpecInput,
} from './layer-spec';

function fail(message: string): never {
  throw new HeadSpecError([{ index: -2, message }]);
}

function parseLayer(layer: LayerSpecInput): LayerSpec {
  const parsed = LayerSpec.safeParse(layer);
  if (!parsed.success)
    fail(`invalid layer ${JSON.stringify(layer)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** The index of a layer given by index or (resolved) name. */
export function indexOfLayer(spec: HeadSpec, at: number | string): number {
  if (typeof at === 'string') {
    const index = resolvedLayerNames(spec.layers).indexOf(at);
    if (index < 0) fail(`no head layer named ${JSON.stringify(at)}`);
    return index;
  }
  if (!Number.isInteger(at) || at < 0 || at >= spec.layers.length) {
    fail(`expected a layer index from 0 to ${spec.layers.length - 1}, received ${JSON.stringify(at)}`);
  }
  return at;
}

/** Appends a layer (before the output layer). */
export function addLayer(spec: HeadSpec, layer: LayerSpecInput): HeadSpec {
  return { ...spec, layers: [...spec.layers, parseLayer(layer)] };
}

/** Deletes the latest hidden layer, like Keras `model.pop()`. @throws when there is none. */
export function popLayer(spec: HeadSpec): HeadSpec {
  if (spec.layers.length === 0) fail('there is no layer to pop: the head has only its output layer');
  return { ...spec, layers: spec.layers.slice(0, -1) };
}

/** Inserts a layer at `index` (0 … layers.length). */
export function insertLayer(spec: HeadSpec, index: number, layer: LayerSpecInput): HeadSpec {
  if (!Number.isInteger(index) || index < 0 || index > spec.layers.length) {
    fail(`expected an insert position from 0 to ${spec.layers.length}, received ${JSON.stringify(index)}`);
  }
  const layers = [...spec.layers];
  layers.splice(index, 0, parseLayer(layer));
  return { ...spec, layers };
}

/** Removes the layer at an index or with a name. */
export function removeLayer(spec: HeadSpec, at: number | string): HeadSpec {
  const index = indexOfLayer(spec, at);
  return { ...spec, layers: spec.layers.filter((_, i) => i !== index) };
}

/** Moves a layer to position `to` (its index after the move). */
export function moveLayer(spec: HeadSpec, from: number | string, to: number): HeadSpec {
  const index = indexOfLayer(spec, from);
  if (!Number.isInteger(to) || to < 0 || to >= spec.layers.length) {
    fail(`expected a target position from 0 to ${spec.layers.length - 1}, received ${JSON.stringify(to)}`);
  }
  const layers = [...spec.layers];
  const [layer] = layers.splice(index, 1);
  layers.splice(to, 0, layer!);
  return { ...spec, layers };
}

/** Gives a layer a new name. @throws for an invalid name or one already used (output included). */
export function renameLayer(spec: HeadSpec, at: number | string, name: string): HeadSpec {
  const index = indexOfLayer(spec, at);
  if (!LayerName.safeParse(name).success)
    fail(`invalid layer name ${JSON.stringify(name)}: start with a letter, then letters, digits, _ . -`);
  const names = resolvedLayerNames(spec.layers);
  const outputName = spec.output?.name ?? 'predictions';
  if (names.some((n, i) => n === name && i !== index) || name === outputName)
    fail(`duplicate layer name ${JSON.stringify(name)}`);
  return { ...spec, layers: spec.layers.map((layer, i) => (i === index ? { ...layer, name } : layer)) };
}
