import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheStore } from '../../../../../main/engine/data/cache';
import { sha256 } from '../../../../../main/engine/data/hash';
import { mapConcurrent, preprocessStream } from '../../../../../main/engine/data/pipeline';
import { preprocessImage } from '../../../../../main/engine/data/preprocess';
import { writeClass } from '../../../../fixtures/generated';
import { readFile } from 'node:fs/promises';

let tmp: string;
let files: string[];
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-pipe-'));
  files = await writeClass(path.join(tmp, 'imgs'), 12, { seed: 3, ext: 'jpg', size: 64 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mapConcurrent', () => {
  it('keeps input order, never exceeds the window, and starts nothing until the consumer pulls', async () => {
    let active = 0;
    let maxActive = 0;
    let started = 0;
    const work = async (n: number) => {
      started++;
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5)); // finish out of order
      active--;
      return n * 2;
    };
    const out: number[] = [];
    const iterator = mapConcurrent(
      Array.from({ length: 30 }, (_, i) => i),
      work,
      { concurrency: 4 },
    );
    for await (const value of iterator) {
      out.push(value);
      if (out.length === 3) {
        // Slow consumer: the producer must be parked at most 2 windows ahead.
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(started).toBeLessThanOrEqual(3 + 2 * 4);
        expect(started).toBeGreaterThan(3);
      }
    }
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(maxActive).toBe(4);
  });

  it('stops pulling when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const value of mapConcurrent([1, 2, 3, 4, 5, 6], async (n) => n, {
        concurrency: 2,
        signal: controller.signal,
      })) {
        seen.push(value);
        if (value === 2) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.length).toBeLessThan(6);
  });
});

describe('preprocessStream', () => {
  it('yields every image in order, equal to preprocessImage, and reports bad files without stopping', async () => {
    const bad = path.join(tmp, 'bad.jpg');
    await writeFile(bad, 'nope');
    const inputs = [...files.slice(0, 3), bad, ...files.slice(3)];
    const items = [];
    for await (const item of preprocessStream(inputs, { size: 32 }, { concurrency: 3 })) items.push(item);
    expect(items.map((i) => i.index)).toEqual(inputs.map((_, i) => i));
    expect(items.map((i) => i.ok)).toEqual(inputs.map((f) => f !== bad));
    const direct = await preprocessImage(files[0]!, { size: 32 });
    const first = items[0]!;
    expect(first.ok && Buffer.compare(Buffer.from(first.data), Buffer.from(direct.data))).toBe(0);
    const failed = items[3]!;
    expect(!failed.ok && failed.error.message).toContain(JSON.stringify(bad));
  });

  it('stores and reuses preprocessed pixels keyed by content hash + parameters', async () => {
    const cache = new CacheStore(path.join(tmp, 'cache'));
    const inputs = await Promise.all(
      files.slice(0, 4).map(async (p) => ({ path: p, hash: sha256(await readFile(p)) })),
    );
    const collect = async (size: number) => {
      const out = [];
      for await (const item of preprocessStream(inputs, { size }, { cache })) out.push(item);
      return out;
    };
    const first = await collect(24);
    expect((await cache.info()).byKind.pixels!.files).toBe(4);
    // A cached read returns the same bytes even if the source file has changed on disk.
    await writeFile(files[0]!, 'changed');
    const second = await collect(24);
    expect(second.every((item) => item.ok)).toBe(true);
    expect(
      Buffer.compare(
        Buffer.from((second[0] as { data: Uint8Array }).data),
        Buffer.from((first[0] as { data: Uint8Array }).data),
      ),
    ).toBe(0);
    // Different parameters miss (and the changed file now fails).
    const third = await collect(28);
    expect(third[0]!.ok).toBe(false);
    expect((await cache.info()).byKind.pixels!.files).toBe(4 + 3);
  });
});
