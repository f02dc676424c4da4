/**
 * Every base by id — bundled, catalog and imported — and `loadBase`, which returns a base cut at its
 * feature layer, ready to extract features or to carry a head.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BaseInfo, BaseListItem } from '../../../../shared/contract/models';
import { StudioError, quote } from '../../../../shared/errors';
import { basesDir } from '../../app-paths';
import { cutModel } from '../cut';
import { fileSystemLoader } from '../io/fs-handler';
import { BUNDLED_BASES, bundledLoader } from './bundled';
import { CATALOG_BASES } from './catalog';
import { downloadModel, readRecord, verifyRecord, type DownloadProgress } from './download';
import { importedDir, listImported } from './import-tfjs';

/** A loaded base: the model cut at its feature layer, and what is known about it. */
export interface LoadedBase {
  /** Input [null, S, S, 3] → feature [null, ...info.featureShape]. */
  model: tf.LayersModel;
  info: BaseInfo;
}

/** Folder of a downloaded catalog base. */
export function catalogDir(cacheDir: string, id: string): string {
  return path.join(cacheDir, 'catalog', id);
}

export interface BaseOptions {
  /** Folder of downloaded and imported bases. Default: `basesDir()` of app-paths (`<cache>/bases`). */
  cacheDir?: string;
}

/** Every base with whether it can be used offline now. */
export async function listBases(options: BaseOptions = {}): Promise<(BaseListItem & { info: BaseInfo })[]> {
  const cacheDir = options.cacheDir ?? basesDir();
  const item = (info: BaseInfo, cached: boolean) => ({
    id: info.id,
    name: info.name,
    source: info.source,
    inputSize: info.inputSize,
    featureSize: info.featureSize,
    cached,
    fineTunable: info.fineTunable,
    info,
  });
  const catalog = await Promise.all(
    CATALOG_BASES.map(async (info) => item(info, (await readRecord(catalogDir(cacheDir, info.id))) !== undefined)),
  );
  return [
    ...BUNDLED_BASES.map((b) => item(b.info, true)),
    ...catalog,
    ...(await listImported(cacheDir)).map((info) => item(info, true)),
  ];
}

/**
 * What is recorded about a base.
 * @throws StudioError NOT_FOUND listing the known ids.
 */
export async function getBaseInfo(id: string, options: BaseOptions = {}): Promise<BaseInfo> {
  const all = await listBases(options);
  const found = all.find((b) => b.id === id);
  if (!found) {
    throw new StudioError('NOT_FOUND', `Unknown base ${quote(id)}; known bases: ${all.map((b) => b.id).join(', ')}.`, {
      id,
    });
  }
  return found.info;
}

export interface LoadBaseOptions extends BaseOptions {
  /** Download a catalog base that is not cached yet. Default: true. */
  download?: boolean;
  /** Download progress. Default: none. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Cancels a download. Default: none. */
  signal?: AbortSignal;
}

/**
 * Loads a base by id and cuts it at its feature layer (plus pooling for catalog bases): the result maps
 * [N, S, S, 3] scaled pixels (see `scalePixels`) to [N, ...info.featureShape]. Layers are trainable
 * as loaded; `assembleModel`/`applyFreeze` set freezing. Await `backendReady()` (or set a backend) first.
 * Catalog bases are downloaded (or resumed) when missing, and their sha256 checked on every load.
 * @param id a base id from `listBases` (e.g. "nsfwjs-mobilenet-v2", the default base).
 * @throws StudioError NOT_FOUND (unknown id, or not downloaded with `download: false`), NETWORK, BAD_INPUT.
 */
export async function loadBase(id: string, options: LoadBaseOptions = {}): Promise<LoadedBase> {
  const cacheDir = options.cacheDir ?? basesDir();
  const info = await getBaseInfo(id, { cacheDir });
  let handler: tf.io.IOHandler;
  if (info.source === 'bundled') {
    handler = bundledLoader(BUNDLED_BASES.find((b) => b.info.id === id)!.folder);
  } else if (info.source === 'catalog') {
    const dir = catalogDir(cacheDir, id);
    const record = await readRecord(dir);
    if (record) await verifyRecord(dir, record);
    else if (options.download === false) {
      throw new StudioError(
        'NOT_FOUND',
        `Base ${quote(id)} is not downloaded yet; download it first (it needs the internet once).`,
        { id },
      );
    } else await downloadModel(info.url!, dir, { signal: options.signal, onProgress: options.onProgress });
    handler = fileSystemLoader(path.join(dir, 'model.json'));
  } else {
    handler = fileSystemLoader(path.join(importedDir(cacheDir), id, 'model.json'));
  }
  const full = await tf.loadLayersModel(handler);
  try {
    const model = cutModel(full, info.cutLayer, info.pooling, id.replace(/[^\w]/g, '_'));
    const shape = model.outputs[0]!.shape.slice(1);
    if (shape.join() !== info.featureShape.join()) {
      model.dispose();
      throw new StudioError(
        'BAD_INPUT',
        `Base ${quote(id)} gives features of shape ${quote(shape)}, expected ${quote(info.featureShape)}.`,
      );
    }
    return { model, info };
  } catch (error) {
    full.dispose();
    throw error;
  }
}

/**
 * Downloads a catalog base into the cache (resuming), or checks an existing copy.
 * @throws StudioError UNSUPPORTED for bundled/imported bases.
 */
export async function downloadBase(id: string, options: LoadBaseOptions = {}): Promise<BaseInfo> {
  const cacheDir = options.cacheDir ?? basesDir();
  const info = await getBaseInfo(id, { cacheDir });
  if (info.source !== 'catalog') return info;
  await downloadModel(info.url!, catalogDir(cacheDir, id), { signal: options.signal, onProgress: options.onProgress });
  return info;
}
