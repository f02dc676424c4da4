/**
 * Model files on disk without tfjs-node: a tfjs IOHandler that writes model.json + weights.bin
 * into a folder (atomically: a new folder per checkpoint, pointed at from run.json, which is
 * itself written atomically) and reads them back.
 */
import { mkdir, readFile, rm, rename, readdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import writeFileAtomic from 'write-file-atomic';
import { StudioError } from '../../../shared/errors';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** A tfjs save handler writing `dir/model.json` and `dir/weights.bin` (each file atomically). */
export function folderSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const weights = joinWeightData(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), Buffer.from(weights));
      await writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}

/** A tfjs load handler reading a folder written by {@link folderSaveHandler} (or any single-shard tfjs model folder). */
export function folderLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new StudioError('NOT_FOUND', `No readable model.json in ${JSON.stringify(dir)}: ${(error as Error).message}`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const shard of group.paths) buffers.push(await readFile(path.join(dir, shard)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
      };
    },
  };
}

/**
 * Saves `model` into a fresh folder `dir` (removing a stale one first).
 * @param includeOptimizer also save the optimizer's state (for resuming). Default: false.
 */
export async function saveModel(model: tf.LayersModel, dir: string, includeOptimizer = false): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  // tfjs' own includeOptimizer path leaks the 'iter' scalar of optimizer.getWeights() on every save,
  // so the optimizer's weights are appended here and that scalar disposed.
  const optimizerWeights = includeOptimizer && model.optimizer ? await model.optimizer.getWeights() : [];
  try {
    const extra = await tf.io.encodeWeights(optimizerWeights, 'optimizer');
    const inner = folderSaveHandler(tmp);
    await model.save({
      save: (artifacts) =>
        inner.save!(
          optimizerWeights.length === 0
            ? artifacts
            : {
                ...artifacts,
                weightSpecs: [...(artifacts.weightSpecs ?? []), ...extra.specs],
                weightData: tf.io.concatenateArrayBuffers([joinWeightData(artifacts.weightData), extra.data]),
              },
        ),
    });
  } finally {
    optimizerWeights.filter((w) => w.name === 'iter').forEach((w) => w.tensor.dispose());
  }
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

/** Loads a layers model saved by {@link saveModel} (with its optimizer when one was saved). */
export function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(folderLoadHandler(dir));
}

/** Reads only the weights of a saved model, in the order of `model.weights` of the same architecture. */
export async function loadWeightsFor(model: tf.LayersModel, dir: string): Promise<tf.Tensor[]> {
  const artifacts = await folderLoadHandler(dir).load!();
  const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const byName = new Map(Object.entries(named));
  const out: tf.Tensor[] = [];
  for (const weight of model.weights) {
    const tensor = byName.get(weight.originalName) ?? byName.get(weight.name);
    if (!tensor) {
      tf.dispose([...out, ...byName.values()]);
      throw new StudioError('BAD_INPUT', `The checkpoint in ${JSON.stringify(dir)} has no weight ${JSON.stringify(weight.name)}.`);
    }
    byName.delete(weight.originalName);
    byName.delete(weight.name);
    out.push(tensor);
  }
  tf.dispose([...byName.values()]);
  return out;
}

/** Removes sibling folders of `keep` whose names start with `prefix` (older checkpoints). */
export async function pruneFolders(parent: string, prefix: string, keep: string[]): Promise<void> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name.startsWith(prefix) && !keep.includes(name))
      .map((name) => rm(path.join(parent, name), { recursive: true, force: true })),
  );
}

function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/**
 * Puts a checkpoint's weights — and its optimizer state, when saved with it — into a compiled
 * model of the same architecture (built afresh, so no reliance on tfjs' training-config loader).
 * @returns true when optimizer state was restored.
 */
export async function restoreCheckpoint(model: tf.LayersModel, dir: string): Promise<boolean> {
  const weights = await loadWeightsFor(model, dir);
  model.setWeights(weights);
  tf.dispose(weights);
  const artifacts = await folderLoadHandler(dir).load!();
  const specs = artifacts.weightSpecs ?? [];
  const optimizerSpecs = specs.filter((spec) => spec.group === 'optimizer');
  if (optimizerSpecs.length === 0 || !model.optimizer) return false;
  // Optimizer weights follow the model weights in the same buffer: decode all, keep the optimizer's.
  const named = tf.io.decodeWeights(artifacts.weightData!, specs);
  const list = optimizerSpecs.map((spec) => ({ name: spec.name, tensor: named[spec.name]! }));
  await model.optimizer.setWeights(list);
  tf.dispose(Object.values(named));
  return true;
}
