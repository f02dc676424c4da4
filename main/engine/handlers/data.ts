import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { dataContract, ImageRecord } from '../../../shared/contract/data';
import { StudioError } from '../../../shared/errors';
import { CacheStore } from '../data/cache';
import { augmentPreview, preprocessPreview, thumbnail } from '../data/previews';
import { recordsFileOf, scanToCache } from '../data/scan';
import { splitRecords } from '../data/split';
import type { HandlerMap } from '../handler';

/** Reads a scan's records back from the cache. */
async function readRecords(cache: CacheStore, scanId: string): Promise<ImageRecord[]> {
  const file = recordsFileOf(cache, scanId);
  try {
    await access(file);
  } catch {
    throw new StudioError(
      'NOT_FOUND',
      `No scan ${JSON.stringify(scanId)} in the cache ${JSON.stringify(cache.root)}; scan the dataset first.`,
    );
  }
  const records: ImageRecord[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line) records.push(JSON.parse(line) as ImageRecord);
  }
  return records;
}

/** Handlers of the data domain (see shared/contract/data.ts); the work is in main/engine/data. */
export const dataHandlers: HandlerMap<keyof typeof dataContract> = {
  async 'data.scan'({ spec, cacheDir, options }, { signal, progress }) {
    return scanToCache(spec, options, { cache: new CacheStore(cacheDir), signal, onProgress: progress });
  },

  async 'data.thumbnail'({ path, size, cacheDir }) {
    return thumbnail(path, size, new CacheStore(cacheDir));
  },

  async 'data.preprocessPreview'({ path, options }) {
    return preprocessPreview(path, options);
  },

  async 'data.augmentPreview'({ path, count, seed, augment, options }) {
    return augmentPreview(path, count, seed, augment, options);
  },

  async 'data.split'({ scanId, cacheDir, fractions, seed }) {
    const cache = new CacheStore(cacheDir);
    const result = splitRecords(await readRecords(cache, scanId), fractions, seed);
    const key = `${fractions.train}-${fractions.validation}-${fractions.test}`;
    const splitFile = recordsFileOf(cache, scanId).replace(/\.records\.jsonl$/, `.split-${seed}-${key}.jsonl`);
    await cache.writeAtomic(splitFile, result.assignments.map((a) => JSON.stringify(a)).join('\n') + '\n');
    return { splitFile, counts: result.counts, perClass: result.perClass, warnings: result.warnings };
  },

  async 'data.cacheInfo'({ cacheDir }) {
    return new CacheStore(cacheDir).info();
  },

  async 'data.clearCache'({ cacheDir, kinds }) {
    return new CacheStore(cacheDir).clear(kinds);
  },
};
