import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { removeStaleTemps, tempPathOf, writeFileAtomic } from '../../../../../main/engine/fs/atomic-write';

const root = mkdtempSync(path.join(os.tmpdir(), 'ts-atomic-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A fresh empty folder per test. */
const freshDir = () => mkdtempSync(path.join(root, 't-'));

const child = path.resolve('test/unit/main/engine/fs/atomic-write-crash-child.ts');

describe('writeFileAtomic', () => {
  it('replaces a text file and leaves no temp file', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new ✓');
    expect(await readFile(file, 'utf8')).toBe('new ✓');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('writes exactly the bytes of a view into a larger buffer', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'w.bin');
    const whole = new Uint8Array([9, 9, 0, 1, 2, 255, 9]);
    await writeFileAtomic(file, whole.subarray(2, 6));
    expect([...(await readFile(file))]).toEqual([0, 1, 2, 255]);
    const floats = new Float32Array([1.5, -2, 3.25]);
    await writeFileAtomic(file, new Uint8Array(floats.buffer));
    const back = await readFile(file);
    expect([...new Float32Array(back.buffer, back.byteOffset, back.byteLength / 4)]).toEqual([1.5, -2, 3.25]);
  });

  it('creates the folder only when asked, and writes without fsync when not durable', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'deep', 'er', 'c.txt');
    await expect(writeFileAtomic(file, 'x')).rejects.toThrow(/ENOENT/);
    await writeFileAtomic(file, 'x', { createFolder: true, durable: false });
    expect(await readFile(file, 'utf8')).toBe('x');
    expect(await readdir(path.dirname(file))).toEqual(['c.txt']);
  });

  it('keeps the old file and removes the temp file when the check before the rename refuses', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'b.json');
    writeFileSync(file, 'theirs');
    const refused = writeFileAtomic(file, 'mine', {
      beforeRename: async () => {
        throw new Error('changed meanwhile');
      },
    });
    await expect(refused).rejects.toThrow('changed meanwhile');
    expect(await readFile(file, 'utf8')).toBe('theirs');
    expect(await readdir(dir)).toEqual(['b.json']);
  });

  it('never uses Math.random (seeded training replaces it): temp names come from pid and crypto bytes', async () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    const dir = freshDir();
    const file = path.join(dir, 'r.txt');
    await Promise.all([writeFileAtomic(file, 'one'), writeFileAtomic(path.join(dir, 's.txt'), new Uint8Array([1]))]);
    expect(await readFile(file, 'utf8')).toBe('one');
    expect(await readFile(path.join(dir, 's.txt'))).toEqual(Buffer.from([1]));
    const names = new Set(Array.from({ length: 50 }, () => path.basename(tempPathOf(file))));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(new RegExp(`^\\.r\\.txt\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
  });

  it('a writer killed between fsync and rename leaves the old target and a temp that removeStaleTemps clears', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'project.json');
    writeFileSync(file, '{"revision":1}');
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, file, '{"revision":2}'], { encoding: 'utf8' });
    expect(run.signal).toBe('SIGKILL');
    expect(await readFile(file, 'utf8')).toBe('{"revision":1}');
    const temps = (await readdir(dir)).filter((name) => name !== 'project.json');
    expect(temps).toHaveLength(1);
    expect(temps[0]).toMatch(new RegExp(`^\\.project\\.json\\.${run.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(await readFile(path.join(dir, temps[0]!), 'utf8')).toBe('{"revision":2}');

    // A live writer's temp (ours) stays; the dead writer's goes.
    const ours = tempPathOf(file);
    writeFileSync(ours, 'in progress');
    expect(await removeStaleTemps(file)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([path.basename(ours), 'project.json'].sort());
  });
});
