/**
 * The activation file: rows written in order come back by index; nothing is visible before the commit; a file of
 * another shape, truncated or with a changed byte is refused and removed; and the clean-up of old files (by age,
 * then least recently used over the size cap, never the files in use, and dead writers' temps).
 */
import { mkdtemp, open, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActivationFile, ActivationWriter, HEADER_BYTES } from '../../../../../main/engine/training/activation-file';
import { pruneActivations } from '../../../../../main/engine/training/activation-prune';

const DIM = 5;
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'activation-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Row r holds r·10 + 0..DIM-1. */
async function written(file: string, rows: number): Promise<void> {
  const writer = await ActivationWriter.create(file, rows, DIM);
  for (let r = 0; r < rows; r += 2) {
    const n = Math.min(2, rows - r);
    await writer.append(Float32Array.from({ length: n * DIM }, (_, i) => (r + Math.floor(i / DIM)) * 10 + (i % DIM)));
  }
  await writer.commit();
}

describe('activation file', () => {
  it('reads rows back by index, in the order asked', async () => {
    const file = path.join(dir, 'a.act');
    await written(file, 7);
    const opened = (await ActivationFile.open(file, 7, DIM))!;
    const out = new Float32Array(3 * DIM);
    await opened.read([6, 0, 3], out);
    expect(Array.from(out)).toEqual([60, 61, 62, 63, 64, 0, 1, 2, 3, 4, 30, 31, 32, 33, 34]);
    await expect(opened.read([7], new Float32Array(DIM))).rejects.toThrow(/Row 7 is outside/);
    await opened.close();
  });

  it('is invisible until committed, and an incomplete writer cannot commit', async () => {
    const file = path.join(dir, 'b.act');
    const writer = await ActivationWriter.create(file, 3, DIM);
    await writer.append(new Float32Array(DIM));
    expect(await ActivationFile.open(file, 3, DIM)).toBeUndefined();
    await expect(writer.commit()).rejects.toThrow(/got 1 of 3 rows/);
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses (and removes) a file of another shape, truncated, or with one byte changed', async () => {
    const file = path.join(dir, 'c.act');
    await written(file, 4);
    expect(await ActivationFile.open(file, 5, DIM)).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    await written(file, 4);
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([0x7f]), 0, 1, HEADER_BYTES + 17);
    await handle.close();
    expect(await ActivationFile.open(file, 4, DIM)).toBeUndefined();
    await written(file, 4);
    await truncate(file, HEADER_BYTES + 3 * DIM * 4);
    expect(await ActivationFile.open(file, 4, DIM)).toBeUndefined();
    await written(file, 4);
    const intact = await ActivationFile.open(file, 4, DIM);
    expect(intact).toBeDefined();
    await intact!.close();
  });
});

describe('pruneActivations', () => {
  it('removes files unused for a week, then the least recently used over the cap, never those in use', async () => {
    const now = Date.now();
    const day = 86_400_000;
    const make = async (name: string, bytes: number, daysAgo: number) => {
      const file = path.join(dir, name);
      await writeFile(file, Buffer.alloc(bytes));
      const t = new Date(now - daysAgo * day);
      await utimes(file, t, t);
      return file;
    };
    await make('old.act', 10, 8);
    const inUse = await make('in-use.act', 100, 9);
    await make('lru.act', 100, 3);
    await make('recent.act', 100, 1);
    await make('newest.act', 100, 0);
    // A dead writer's temp (pid 2^22 + 1 is above Linux's pid_max) and a file that is not an activation file.
    await writeFile(path.join(dir, '.gone.act.4194305.0123abcd.tmp'), 'x');
    await writeFile(path.join(dir, 'notes.txt'), 'x');
    const removed = await pruneActivations(dir, { keep: [inUse], maxBytes: 300, now });
    expect(removed.map((f) => path.basename(f))).toEqual(['old.act', 'lru.act']);
    expect((await readdir(dir)).sort()).toEqual(['in-use.act', 'newest.act', 'notes.txt', 'recent.act']);
  });
});
