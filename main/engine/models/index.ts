/**
 * The models API the rest of the engine uses (training, export, handlers):
 * - `loadBase(id, {cacheDir})` → `{model, info}`: a base cut at its feature layer.
 * - `scalePixels(uint8, info)` → float input [N, S, S, 3] for that base.
 * - `buildHead(spec, featureShape, numClasses)` → `tf.Sequential` on features (phase 1 training).
 * - `assembleModel(base.model, head, freeze)` → one tfjs model, base frozen by default (phase 2).
 * - `applyFreeze(model, policy)` → change which base layers train (then recompile).
 * - `summarize(model)` → Keras-like summary; `extractFeatures(model, layers, images)` → inner outputs.
 */
export {
  loadBase,
  listBases,
  getBaseInfo,
  downloadBase,
  type LoadedBase,
  type LoadBaseOptions,
} from './bases/registry';
export { DEFAULT_BASE_ID, BUNDLED_BASES } from './bases/bundled';
export { CATALOG_BASES } from './bases/catalog';
export { importTfjsFolder, inspectTfjsFolder } from './bases/import-tfjs';
export { scalePixels, applyScaling } from './scale';
export { buildHead, headLayers } from './head';
export { assembleModel } from './assemble';
export { applyFreeze, groupBlocks, isBaseLayer, type FreezeReport, type LayerBlock } from './freeze';
export { summarize } from './summary';
export { extractFeatures } from './features';
export { fileSystemLoader, fileSystemSaver } from './io/fs-handler';
