/**
 * Importing a local tfjs layers-model folder (model.json + shards) as a base: validated, cut at a
 * chosen single-output layer (default: the last pooling/flatten before the classifier), copied into
 * the cache with its BaseInfo.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../fs/atomic-write';
import { BaseInfo, type Scaling } from '../../../../shared/contract/models';
import { StudioError, quote } from '../../../../shared/errors';
import { expectedWeightBytes, fileSystemLoader, readModelJson } from '../io/fs-handler';
import { outputShapeOf } from '../cut';

/** A layer that can be cut at. */
export interface CutCandidate {
  name: string;
  kind: string;
  outputShape: (number | null)[];
}

/** What a tfjs folder holds. */
export interface TfjsFolderInfo {
  inputSize: number;
  defaultCutLayer: string;
  /** Single-output layers, bottom to top (the input layer excluded). */
  layers: CutCandidate[];
}

const POOLING = new Set([
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'AveragePooling2D',
  'MaxPooling2D',
  'Flatten',
]);

/** The folder holding imported bases. */
export function importedDir(cacheDir: string): string {
  return path.join(cacheDir, 'imported');
}

/**
 * Validates a tfjs layers-model folder and lists where it can be cut.
 * @throws StudioError NOT_FOUND / BAD_INPUT / UNSUPPORTED naming the folder and what is wrong.
 */
export async function inspectTfjsFolder(dir: string): Promise<TfjsFolderInfo> {
  const model = await loadFolder(dir);
  try {
    return describe(model, dir);
  } finally {
    model.dispose();
  }
}

async function loadFolder(dir: string): Promise<tf.LayersModel> {
  const jsonPath = path.join(dir, 'model.json');
  const json = await readModelJson(jsonPath);
  const topology = json.modelTopology as { class_name?: string; model_config?: unknown; node?: unknown };
  if (json.format === 'graph-model' || topology.node !== undefined) {
    throw new StudioError(
      'UNSUPPORTED',
      `${quote(dir)} holds a tfjs graph model; only layers models (from Keras) can be imported.`,
      { path: dir },
    );
  }
  let total = 0;
  for (const shard of json.weightsManifest.flatMap((g) => g.paths)) {
    const stat = await fs.stat(path.join(dir, shard)).catch(() => undefined);
    if (!stat)
      throw new StudioError('NOT_FOUND', `Weight shard ${quote(shard)} is missing from ${quote(dir)}.`, { path: dir });
    total += stat.size;
  }
  const expected = expectedWeightBytes(json.weightsManifest.flatMap((g) => g.weights));
  if (total !== expected) {
    throw new StudioError(
      'BAD_INPUT',
      `The weight shards in ${quote(dir)} hold ${total} bytes but model.json describes ${expected}.`,
      { path: dir },
    );
  }
  try {
    return await tf.loadLayersModel(fileSystemLoader(jsonPath));
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new StudioError(
      'BAD_INPUT',
      `${quote(dir)} is not a loadable tfjs layers model: ${(error as Error).message}`,
      { path: dir },
    );
  }
}

function describe(model: tf.LayersModel, dir: string): TfjsFolderInfo {
  const shape = model.inputs[0]!.shape;
  if (model.inputs.length !== 1 || shape.length !== 4 || shape[3] !== 3 || !shape[1] || shape[1] !== shape[2]) {
    throw new StudioError(
      'UNSUPPORTED',
      `${quote(dir)} must take one square RGB image input [null, S, S, 3]; received ${quote(shape)}.`,
      {
        path: dir,
      },
    );
  }
  const layers = model.layers
    .filter((l) => l.getClassName() !== 'InputLayer' && l.inboundNodes.length === 1 && !Array.isArray(l.output))
    .map((l) => ({ name: l.name, kind: l.getClassName(), outputShape: outputShapeOf(l) }));
  const pooling = layers.filter((l) => POOLING.has(l.kind) && l.outputShape.length === 2).at(-1);
  const last = layers.at(-1)!;
  // No pooling layer: a no-top model is cut at its output, a classifier just below its last layer.
  const fallback = last.outputShape.length > 2 ? last : (layers.at(-2) ?? last);
  return { inputSize: shape[1], defaultCutLayer: (pooling ?? fallback).name, layers };
}

/** Options of {@link importTfjsFolder}. */
export interface ImportOptions {
  cacheDir: string;
  /** Pixel scaling the model was trained with. */
  scaling: Scaling;
  /** Default: the last pooling/flatten layer before the classifier. */
  cutLayer?: string;
  /** Default: the folder name. */
  name?: string;
}

/**
 * Imports a tfjs layers-model folder as a base: validates it, copies model.json and shards to
 * `<cacheDir>/imported/<id>/` and records its BaseInfo (`base.json`).
 * @throws StudioError BAD_INPUT for an unknown or multi-output cut layer, or an invalid folder.
 */
export async function importTfjsFolder(dir: string, options: ImportOptions): Promise<BaseInfo> {
  const model = await loadFolder(dir);
  let info: BaseInfo;
  const json = await readModelJson(path.join(dir, 'model.json'));
  try {
    const folder = describe(model, dir);
    const cut = folder.layers.find((l) => l.name === (options.cutLayer ?? folder.defaultCutLayer));
    if (!cut) {
      throw new StudioError(
        'BAD_INPUT',
        `Cannot cut at ${quote(options.cutLayer)}: ${quote(dir)} has no single-output layer of that name.`,
        { layer: options.cutLayer, layers: folder.layers.map((l) => l.name) },
      );
    }
    const featureShape = cut.outputShape.slice(1) as number[];
    const name = options.name ?? path.basename(path.resolve(dir));
    const id = await freeId(options.cacheDir, `imported-${slug(name)}`);
    const shardBytes = await Promise.all(
      json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.stat(path.join(dir, p)).then((s) => s.size)),
    );
    info = BaseInfo.parse({
      id,
      name,
      description: `Imported tfjs layers model from ${dir}, cut at ${cut.name} (${cut.kind}).`,
      source: 'imported',
      inputSize: folder.inputSize,
      scaling: options.scaling,
      cutLayer: cut.name,
      pooling: 'none',
      featureSize: featureShape.reduce((a, b) => a * b, 1),
      featureShape,
      licence: 'unknown (imported by the user)',
      fineTunable: true,
      sizeBytes: shardBytes.reduce((a, b) => a + b, 0),
    });
  } finally {
    model.dispose();
  }
  const dest = path.join(importedDir(options.cacheDir), info.id);
  await fs.mkdir(dest, { recursive: true });
  for (const shard of json.weightsManifest.flatMap((g) => g.paths)) {
    await fs.mkdir(path.dirname(path.join(dest, shard)), { recursive: true });
    await fs.copyFile(path.join(dir, shard), path.join(dest, shard));
  }
  await fs.copyFile(path.join(dir, 'model.json'), path.join(dest, 'model.json'));
  await writeFileAtomic(path.join(dest, 'base.json'), JSON.stringify(info, null, 2));
  return info;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'model'
  );
}

async function freeId(cacheDir: string, wanted: string): Promise<string> {
  for (let k = 1; ; k++) {
    const id = k === 1 ? wanted : `${wanted}-${k}`;
    const taken = await fs.stat(path.join(importedDir(cacheDir), id)).then(
      () => true,
      () => false,
    );
    if (!taken) return id;
  }
}

/** BaseInfo of every imported base in the cache. */
export async function listImported(cacheDir: string): Promise<BaseInfo[]> {
  const root = importedDir(cacheDir);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const infos: BaseInfo[] = [];
  for (const name of names.sort()) {
    const text = await fs.readFile(path.join(root, name, 'base.json'), 'utf8').catch(() => undefined);
    const parsed = text ? BaseInfo.safeParse(JSON.parse(text)) : undefined;
    if (parsed?.success) infos.push(parsed.data);
  }
  return infos;
}
