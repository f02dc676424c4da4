/**
 * File-system IO handlers for tfjs layers models that work on every backend (wasm, cpu, tensorflow):
 * no `tf.node` / `file://` API. Format: the standard tfjs `model.json` + binary weight shards.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../fs/atomic-write';
import { StudioError, quote } from '../../../../shared/errors';

/** The parsed `model.json` of a tfjs model. */
export type ModelJson = tf.io.ModelJSON;

/**
 * Reads and parses a model.json, with plain-words errors.
 * @throws StudioError NOT_FOUND when missing, BAD_INPUT when it is not a tfjs model.json or names a
 *   weight shard outside its folder.
 */
export async function readModelJson(modelJsonPath: string): Promise<ModelJson> {
  let text: string;
  try {
    text = await fs.readFile(modelJsonPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StudioError('NOT_FOUND', `No model.json at ${quote(modelJsonPath)}.`, { path: modelJsonPath });
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(modelJsonPath)} is not a model: it is not JSON (starts with ${quote(text.slice(0, 40))}).`,
      {
        path: modelJsonPath,
      },
    );
  }
  const model = json as Partial<ModelJson> | null;
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.modelTopology !== 'object' ||
    !Array.isArray(model.weightsManifest)
  ) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(modelJsonPath)} is not a tfjs model: it has no modelTopology and weightsManifest.`,
      {
        path: modelJsonPath,
      },
    );
  }
  for (const group of model.weightsManifest) {
    for (const shard of Array.isArray(group?.paths) ? group.paths : [null]) {
      // Shards live beside model.json: a name that climbs out (or is absolute) would read any file.
      if (typeof shard !== 'string' || shard === '' || path.isAbsolute(shard) || shard.split(/[\\/]/).includes('..')) {
        throw new StudioError(
          'BAD_INPUT',
          `${quote(modelJsonPath)} names an unsafe or invalid weight file ${quote(shard)}; shards must sit in its folder.`,
          {
            path: modelJsonPath,
          },
        );
      }
    }
  }
  return model as ModelJson;
}

/** Bytes the weight specs need (quantised weights take 1 or 2 bytes per value). */
export function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = dtype === 'uint8' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : 4;
    if (spec.dtype === 'string')
      throw new StudioError('UNSUPPORTED', `String weights are not supported (${quote(spec.name)}).`);
    total += count * bytes;
  }
  return total;
}

/** Joins buffers into one ArrayBuffer. */
export function joinBuffers(parts: readonly Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}

/**
 * Builds ModelArtifacts from a parsed model.json and its shard bytes, checking the byte count.
 * @param origin names the model in errors (a path or an id).
 */
export function artifactsFromJson(
  json: ModelJson,
  shards: readonly Uint8Array[],
  origin: string,
): tf.io.ModelArtifacts {
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const weightData = joinBuffers(shards);
  const expected = expectedWeightBytes(weightSpecs);
  if (weightData.byteLength !== expected) {
    throw new StudioError(
      'BAD_INPUT',
      `The weights of ${quote(origin)} are ${weightData.byteLength} bytes but its model.json describes ${expected}: a shard is truncated or not a weight file.`,
      { origin, bytes: weightData.byteLength, expected },
    );
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs,
    weightData,
  };
}

/**
 * A tfjs load handler reading `<dir>/model.json` and the shards its weightsManifest names.
 * Use with `tf.loadLayersModel(fileSystemLoader(path))`.
 * @param modelJsonPath path of model.json.
 */
export function fileSystemLoader(modelJsonPath: string): tf.io.IOHandler {
  return {
    async load() {
      const json = await readModelJson(modelJsonPath);
      const dir = path.dirname(modelJsonPath);
      const shards: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        for (const shard of group.paths) {
          const file = path.join(dir, shard);
          try {
            shards.push(await fs.readFile(file));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
              throw new StudioError(
                'NOT_FOUND',
                `Weight shard ${quote(shard)} named by ${quote(modelJsonPath)} is missing.`,
                { path: file },
              );
            }
            throw error;
          }
        }
      }
      return artifactsFromJson(json, shards, modelJsonPath);
    },
  };
}

/**
 * A tfjs save handler writing `<dir>/model.json` and one shard `<dir>/weights.bin`, atomically.
 * Use with `model.save(fileSystemSaver(dir))`.
 * @param dir folder to write (created if missing).
 */
export function fileSystemSaver(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await fs.mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData;
      const bytes =
        weightData === undefined
          ? new Uint8Array(0)
          : Array.isArray(weightData)
            ? new Uint8Array(joinBuffers(weightData.map((b) => new Uint8Array(b))))
            : new Uint8Array(weightData);
      const json: ModelJson = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(
        path.join(dir, 'weights.bin'),
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
      await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
