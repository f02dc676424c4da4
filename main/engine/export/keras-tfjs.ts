/**
 * Keras 2 .h5 content ↔ tfjs layers models: a tfjs model becomes the layer weights and `model_config` of an .h5
 * file, and an .h5 file becomes a standard tfjs folder (model.json + weights.bin) that `tf.loadLayersModel` reads
 * (weights matched by name, as tfjs-converter's output is).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../shared/errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { KERAS_VERSION, type KerasH5Content, type KerasLayerWeights } from './keras-h5-file';
import { fromKeras2, toKeras2, type ModelTopology } from './keras-topology';

/**
 * The .h5 content of a tfjs model, given its topology (possibly edited, e.g. by `withPixelInput`): every layer of
 * the topology in order, with its weights named "<layer>/<weight>:0" as Keras names them.
 */
export function kerasContentOf(model: tf.LayersModel, topology: ModelTopology): KerasH5Content {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const layers: KerasLayerWeights[] = topology.config.layers.map((entry) => {
    const layer = byName.get(entry.name);
    const weights = (layer?.weights ?? []).map((w) => ({
      name: `${entry.name}/${shortName(w.originalName)}:0`,
      shape: w.shape.map(Number),
      data: w.read().dataSync() as Float32Array,
    }));
    return { layer: entry.name, weights };
  });
  return {
    modelConfig: toKeras2(topology) as KerasH5Content['modelConfig'],
    kerasVersion: KERAS_VERSION,
    backend: 'tensorflow',
    layers,
  };
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, '');
}

/**
 * Writes the content of a Keras .h5 file as a tfjs layers-model folder (`model.json` + `weights.bin`).
 * @param file the .h5 file it came from (named in errors).
 * @throws StudioError BAD_INPUT naming the file when it has no model_config (a weights-only file) or the topology is
 *   not one tfjs can build.
 */
export async function writeTfjsFolder(content: KerasH5Content, dir: string, file: string): Promise<void> {
  if (!content.modelConfig) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)} holds only weights (no "model_config" attribute), so the layers it belongs to are unknown. ` +
        'Save the whole model from Keras (model.save("file.h5") after building it, e.g. keras.applications.Xception(include_top=False)) and import that file.',
      { path: file, missing: 'model_config' },
    );
  }
  const topology = fromKeras2(content.modelConfig as ModelTopology);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const layer of content.layers) {
    for (const weight of layer.weights) {
      specs.push({ name: `${layer.layer}/${shortName(weight.name)}`, shape: weight.shape, dtype: 'float32' });
      parts.push(new Uint8Array(weight.data.buffer, weight.data.byteOffset, weight.data.byteLength));
    }
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `keras v${content.kerasVersion}`,
    convertedBy: 'Transfer Studio (Keras .h5 import)',
    modelTopology: { ...topology, keras_version: content.kerasVersion, backend: content.backend },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.concat(parts));
  await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
}
