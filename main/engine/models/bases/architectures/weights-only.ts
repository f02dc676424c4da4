/**
 * A keras.applications weights-only .h5 file as a tfjs layers-model folder: the architecture is recognised
 * (./index.ts), built in tfjs, given the file's weights by layer and weight name (./set-weights.ts) and saved as
 * `model.json` + `weights.bin`, ready for the tfjs folder import.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../../fs/atomic-write';
import type { KerasH5Content } from '../../../export/keras-h5-file';
import { recogniseArchitecture, type Architecture } from './index';
import { setWeightsByName } from './set-weights';

/**
 * Builds the file's architecture with its weights.
 * @param inputSize input side. Default: the architecture's (Xception 299, MobileNetV2 224 or the file's size).
 * @throws StudioError UNSUPPORTED for an unrecognised architecture; BAD_INPUT naming the layer on a weight mismatch.
 */
export function buildFromWeights(
  content: KerasH5Content,
  file: string,
  inputSize?: number,
): { model: tf.LayersModel; architecture: Architecture } {
  const architecture = recogniseArchitecture(file, content.layers);
  const model = architecture.build(inputSize);
  try {
    setWeightsByName(model, content.layers, file, architecture.name, architecture.fixedLayers);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, architecture };
}

/**
 * Writes a weights-only file's model as a tfjs layers-model folder in `dir`.
 * @param inputSize input side. Default: the architecture's.
 */
export async function writeWeightsOnlyFolder(
  content: KerasH5Content,
  dir: string,
  file: string,
  inputSize?: number,
): Promise<Architecture> {
  const { model, architecture } = buildFromWeights(content, file, inputSize);
  try {
    await fs.mkdir(dir, { recursive: true });
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
        const modelJson = {
          format: 'layers-model',
          generatedBy: `keras v${content.kerasVersion} (keras.applications ${architecture.name} weights)`,
          convertedBy: 'Transfer Studio (Keras weights-only .h5 import)',
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        };
        await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  } finally {
    model.dispose();
  }
  return architecture;
}
