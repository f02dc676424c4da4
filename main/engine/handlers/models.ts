import type { modelsContract } from '../../../shared/contract/models';
import type { HandlerMap } from '../handler';
import { StudioError, quote } from '../../../shared/errors';
import { backendReady } from '../runtime';
import { basesDir } from '../app-paths';
import { getBaseInfo, listBases, loadBase, downloadBase } from '../models/bases/registry';
import { importTfjsFolder, inspectTfjsFolder } from '../models/bases/import-tfjs';
import { importKerasFile, inspectKerasFile, isKerasFile } from '../models/bases/import-keras';
import { buildHead } from '../models/head';
import { assembleModel } from '../models/assemble';
import { summarize } from '../models/summary';
import { collectImages, featuresOfFiles, writeFeatures } from '../models/feature-files';
import { readSpeeds } from '../models/speed/speed-store';
import { measureSpeed } from '../models/speed/speed-probe';
import { catalogReachable } from '../models/bases/reachable';

/** Handlers of the models domain (see shared/contract/models.ts). */
export const modelsHandlers: HandlerMap<keyof typeof modelsContract> = {
  async 'models.bases'() {
    return (await listBases({ cacheDir: basesDir() })).map(({ info: _, ...item }) => item);
  },

  async 'models.baseInfo'({ base }) {
    return getBaseInfo(base, { cacheDir: basesDir() });
  },

  async 'models.download'({ base }, { signal, progress }) {
    return downloadBase(base, { cacheDir: basesDir(), signal, onProgress: (p) => progress(p) });
  },

  async 'models.inspectImport'({ path }) {
    await backendReady();
    if (isKerasFile(path)) return { format: 'keras' as const, ...(await inspectKerasFile(path)) };
    return { format: 'tfjs' as const, ...(await inspectTfjsFolder(path)) };
  },

  async 'models.import'({ path, cutLayer, scaling, name }) {
    await backendReady();
    if (isKerasFile(path)) return importKerasFile(path, { cacheDir: basesDir(), cutLayer, scaling, name });
    if (!scaling) {
      const message = `Give "scaling" (x/255, x/127.5-1 or x) to import the tfjs model in ${quote(path)}.`;
      throw new StudioError('BAD_INPUT', message, { field: 'scaling', path });
    }
    return importTfjsFolder(path, { cacheDir: basesDir(), cutLayer, scaling, name });
  },

  async 'models.summary'({ base, head, classes, freeze }) {
    await backendReady();
    const loaded = await loadBase(base, { cacheDir: basesDir() });
    let headModel;
    try {
      headModel = buildHead(head, loaded.info.featureShape, classes);
    } catch (error) {
      loaded.model.dispose();
      throw error;
    }
    const model = assembleModel(loaded.model, headModel, freeze);
    try {
      return summarize(model);
    } finally {
      model.dispose();
      headModel.dispose();
    }
  },

  async 'models.features'({ inputs, base, layer, out, batchSize }, { signal, progress }) {
    await backendReady();
    const files = await collectImages(inputs, signal);
    const loaded = await loadBase(base, { cacheDir: basesDir(), signal });
    try {
      const {
        data,
        shape,
        files: kept,
        skipped,
      } = await featuresOfFiles(loaded, files, {
        layer,
        batchSize,
        signal,
        onProgress: (done, total) => progress({ done, total }),
      });
      await writeFeatures(out, kept, data, shape);
      return { count: kept.length, shape, out, files: kept, ...(skipped.length > 0 ? { skipped } : {}) };
    } finally {
      loaded.model.dispose();
    }
  },

  async 'models.speeds'() {
    const { speeds, notice } = await readSpeeds();
    return { speeds, ...(notice ? { notice } : {}) };
  },

  async 'models.measureSpeed'({ base, fineTune }, { signal, progress }) {
    return measureSpeed(base, { signal, fineTune, onProgress: (p) => progress(p) });
  },

  async 'models.network'() {
    return catalogReachable();
  },
};
