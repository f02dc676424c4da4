import { mkdtempSync, rmSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../../../../main/engine/data/cache';
import { scanDataset, scanToCache } from '../../../../../main/engine/data/scan';
import { writeClass } from '../../../../fixtures/generated';

let tmp: string;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-cache-'));
  await writeClass(path.join(tmp, 'data', 'a'), 4, { seed: 1, ext: 'jpg', size: 200 });
  await writeClass(path.join(tmp, 'data', 'b'), 4, { seed: 2, ext: 'jpg', size: 200 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cache', () => {
  it('scan writes thumbnails and records; a rescan reuses them; info and clear report sizes', async () => {
    const cache = new CacheStore(path.join(tmp, 'cache'));
    const spec = { sources: [{ path: path.join(tmp, 'data'), mode: 'parent' as const }] };
    const summary = await scanToCache(spec, {}, { cache });
    expect(summary.images).toBe(8);
    let info = await cache.info();
    expect(info.byKind.thumbnails!.files).toBe(8);
    expect(info.byKind.scans!.files).toBe(2); // file index + records
    expect(info.bytes).toBeGreaterThan(0);

    // A rescan finds every file in the index: same answer even with the thumbnails gone.
    await cache.clear(['thumbnails']);
    const again = await scanDataset(spec, {}, { cache });
    expect(again.summary.classes).toEqual(summary.classes);
    expect((await cache.info()).byKind.thumbnails!.files).toBe(0);

    // A touched file is checked again (and gets its thumbnail back).
    const touched = path.join(tmp, 'data', 'a', 'img-0000.jpg');
    await utimes(touched, new Date(), new Date(Date.now() + 5000));
    await scanDataset(spec, {}, { cache });
    expect((await cache.info()).byKind.thumbnails!.files).toBe(1);

    info = await cache.info();
    const cleared = await cache.clear();
    expect(cleared).toEqual({ freedBytes: info.bytes, files: info.files });
    expect((await cache.info()).bytes).toBe(0);
  });

  it('keys derived entries by content hash and parameters', () => {
    const cache = new CacheStore(path.join(tmp, 'c2'));
    expect(cache.thumbnailPath('abc', { size: 128 })).toBe(cache.thumbnailPath('abc', { size: 128 }));
    expect(cache.thumbnailPath('abc', { size: 128 })).not.toBe(cache.thumbnailPath('abc', { size: 64 }));
    expect(cache.thumbnailPath('abc', { size: 128 })).not.toBe(cache.thumbnailPath('abd', { size: 128 }));
  });
});
