/**
 * Checkpoints: a model (and optionally its optimizer state) saved as model.json + weights.bin into
 * a fresh folder (written to a temp folder, then renamed; run.json, itself written atomically,
 * points at it), through the fs IOHandlers of models/io/fs-handler.ts, and read back.
 */
import { rm, rename, readdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../../../shared/errors';
import { fileSystemLoader, fileSystemSaver } from '../models/io/fs-handler';

/** A tfjs load handler for a model folder written by {@link saveModel}. */
function folderLoadHandler(dir: string): tf.io.IOHandler {
  return fileSystemLoader(path.join(dir, 'model.json'));
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
    const inner = fileSystemSaver(tmp);
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
      throw new StudioError(
        'BAD_INPUT',
        `The checkpoint in ${JSON.stringify(dir)} has no weight ${JSON.stringify(weight.name)}.`,
      );
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
