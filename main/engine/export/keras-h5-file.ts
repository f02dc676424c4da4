/**
 * The Keras 2 HDF5 model file layout (what `tf.keras.models.load_model` / `model.save('x.h5')` read and write), as
 * plain data, read and written with h5wasm:
 *
 *     /  attrs: model_config (topology JSON), keras_version, backend
 *     /model_weights  attrs: layer_names, keras_version, backend
 *     /model_weights/<layer>  attrs: weight_names (e.g. "conv1/kernel:0")
 *     /model_weights/<layer>/<weight name>  float32 dataset (the name's "/" makes subgroups)
 *
 * Keras `keras.applications` weight files (`*_notop.h5`) use the same per-layer groups at the root and no
 * model_config; {@link readKerasH5} reads those too and reports `modelConfig: undefined`.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import h5wasm from 'h5wasm/node';
import { StudioError, quote } from '../../../shared/errors';

/** One weight of a layer. */
export interface KerasWeight {
  /** Keras name, e.g. "conv1/kernel:0". */
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One layer's weights, in Keras order (trainable first, then non-trainable). */
export interface KerasLayerWeights {
  layer: string;
  weights: KerasWeight[];
}

/** What a Keras 2 .h5 model file holds. */
export interface KerasH5Content {
  /** The topology JSON (`{class_name, config}`); undefined in a weights-only file. */
  modelConfig: { class_name: string; config: Record<string, unknown> } | undefined;
  kerasVersion: string;
  backend: string;
  /** Every layer of `layer_names`, in that order (layers without weights have none). */
  layers: KerasLayerWeights[];
}

/** The keras_version written into exported files: the last Keras 2 line. */
export const KERAS_VERSION = '2.15.0';

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

type Group = InstanceType<typeof h5wasm.Group>;
type Dataset = InstanceType<typeof h5wasm.Dataset>;

/** Writes `content` as a Keras 2 .h5 file (replacing `file`). */
export async function writeKerasH5(file: string, content: KerasH5Content): Promise<void> {
  if (!content.modelConfig) throw new StudioError('INTERNAL', `No model_config to write into ${quote(file)}.`);
  await h5wasm.ready;
  await fs.rm(file, { force: true });
  const h5 = new h5wasm.File(file, 'w');
  try {
    h5.create_attribute('model_config', JSON.stringify(content.modelConfig));
    h5.create_attribute('keras_version', content.kerasVersion);
    h5.create_attribute('backend', content.backend);
    writeLayerWeights(h5.create_group('model_weights'), content.layers, content.kerasVersion, content.backend);
  } finally {
    h5.close();
  }
}

/**
 * Writes Keras 2's weight groups under `parent` (`model_weights` of a model file, the root of a weights-only file):
 * attributes `layer_names`, `keras_version`, `backend`; per layer a group with `weight_names` and one float32
 * dataset per weight (a "/" in a weight's name makes subgroups, as Keras writes them).
 */
export function writeLayerWeights(
  parent: InstanceType<typeof h5wasm.Group>,
  layers: readonly KerasLayerWeights[],
  kerasVersion: string,
  backend: string,
): void {
  parent.create_attribute(
    'layer_names',
    layers.map((l) => l.layer),
  );
  parent.create_attribute('keras_version', kerasVersion);
  parent.create_attribute('backend', backend);
  for (const layer of layers) {
    const group = parent.create_group(layer.layer);
    // h5wasm cannot write an empty string array: a layer without weights gets no attribute (Keras reads none as []).
    if (layer.weights.length > 0)
      group.create_attribute(
        'weight_names',
        layer.weights.map((w) => w.name),
      );
    for (const weight of layer.weights) {
      const parts = weight.name.split('/');
      for (let k = 1; k < parts.length; k++) {
        const sub = parts.slice(0, k).join('/');
        if (!group.get(sub)) group.create_group(sub);
      }
      group.create_dataset({ name: weight.name, data: weight.data, shape: weight.shape, dtype: '<f' });
    }
  }
}

/**
 * Reads a Keras 2 .h5 model (or weights-only) file.
 * @throws StudioError NOT_FOUND when the file is missing; BAD_INPUT naming the file when it is not HDF5, is
 *   truncated, or lacks what Keras writes (`layer_names`, a layer's group or weight).
 */
export async function readKerasH5(file: string): Promise<KerasH5Content> {
  await checkSignature(file);
  await h5wasm.ready;
  let h5: InstanceType<typeof h5wasm.File>;
  try {
    h5 = new h5wasm.File(file, 'r');
  } catch (error) {
    throw bad(file, `it cannot be opened as HDF5 (${(error as Error).message}); the file may be truncated`);
  }
  try {
    return readContent(file, h5);
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw bad(file, `reading it failed (${(error as Error).message}); the file may be truncated or damaged`);
  } finally {
    h5.close();
  }
}

function readContent(file: string, h5: Group): KerasH5Content {
  const modelConfigText = stringAttr(h5, 'model_config');
  const weightsRoot = modelConfigText !== undefined ? h5.get('model_weights') : h5;
  if (!(weightsRoot instanceof h5wasm.Group)) {
    throw bad(file, 'it has a model_config but no "model_weights" group (it was saved without weights)');
  }
  const layerNames = stringListAttr(weightsRoot, 'layer_names');
  if (!layerNames) {
    const what =
      modelConfigText === undefined
        ? 'no "model_config" attribute and no "layer_names"'
        : '"model_weights" has no "layer_names" attribute';
    throw bad(file, `it is not a Keras model file: ${what}`);
  }
  let modelConfig: KerasH5Content['modelConfig'];
  if (modelConfigText !== undefined) {
    try {
      modelConfig = JSON.parse(modelConfigText) as KerasH5Content['modelConfig'];
    } catch {
      throw bad(file, `its "model_config" attribute is not JSON (starts with ${quote(modelConfigText.slice(0, 40))})`);
    }
  }
  const layers = layerNames.map((layer) => readLayer(file, weightsRoot, layer));
  return {
    modelConfig,
    kerasVersion: stringAttr(h5, 'keras_version') ?? stringAttr(weightsRoot, 'keras_version') ?? 'unknown',
    backend: stringAttr(h5, 'backend') ?? stringAttr(weightsRoot, 'backend') ?? 'unknown',
    layers,
  };
}

function readLayer(file: string, root: Group, layer: string): KerasLayerWeights {
  const group = root.get(layer);
  if (!(group instanceof h5wasm.Group))
    throw bad(file, `layer ${quote(layer)} is listed in "layer_names" but has no group`);
  const names = stringListAttr(group, 'weight_names') ?? [];
  const weights = names.map((name) => {
    const dataset = group.get(name);
    if (!(dataset instanceof h5wasm.Dataset))
      throw bad(file, `weight ${quote(name)} of layer ${quote(layer)} is missing`);
    return { name, shape: (dataset.shape ?? []).map(Number), data: readFloats(file, dataset, name) };
  });
  return { layer, weights };
}

function readFloats(file: string, dataset: Dataset, name: string): Float32Array {
  let value: unknown;
  try {
    value = dataset.value;
  } catch (error) {
    throw bad(file, `weight ${quote(name)} cannot be read (${(error as Error).message}); the file may be truncated`);
  }
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array || value instanceof Uint16Array || ArrayBuffer.isView(value)) {
    if (dataset.dtype === '<e' || dataset.dtype === 'e') return Float32Array.from(value as Uint16Array, halfToFloat);
    return Float32Array.from(value as unknown as ArrayLike<number>, Number);
  }
  if (typeof value === 'number') return Float32Array.of(value);
  throw bad(file, `weight ${quote(name)} is not numeric (dtype ${quote(dataset.dtype)})`);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function stringAttr(node: Group, name: string): string | undefined {
  const attr = node.attrs[name];
  if (!attr) return undefined;
  const value = attr.value as unknown;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return Array.isArray(value) && typeof value[0] === 'string' ? value.join('') : undefined;
}

function stringListAttr(node: Group, name: string): string[] | undefined {
  // Keras splits long lists over name0, name1, … when one attribute would pass HDF5's 64 KiB header limit.
  const parts = node.attrs[name] ? [name] : Object.keys(node.attrs).filter((k) => new RegExp(`^${name}\\d+$`).test(k));
  if (parts.length === 0) return undefined;
  parts.sort((a, b) => Number(a.slice(name.length) || 0) - Number(b.slice(name.length) || 0));
  return parts.flatMap((part) => {
    const value = node.attrs[part]!.value as unknown;
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v)));
  });
}

async function checkSignature(file: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new StudioError('NOT_FOUND', `No file at ${quote(file)}.`, { path: file });
    throw error;
  }
  try {
    const { size } = await handle.stat();
    // HDF5's superblock sits at 0, 512, 1024, 2048, … (a user block may come first).
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      const head = Buffer.alloc(8);
      await handle.read(head, 0, 8, offset);
      if (head.equals(HDF5_SIGNATURE)) return;
    }
    throw bad(file, `it is not an HDF5 file (no HDF5 signature in its ${size} bytes)`);
  } finally {
    await handle.close();
  }
}

function bad(file: string, why: string): StudioError {
  return new StudioError('BAD_INPUT', `${quote(file)} cannot be read as a Keras .h5 model: ${why}.`, { path: file });
}
