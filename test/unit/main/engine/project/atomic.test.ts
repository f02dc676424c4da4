import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { writeTextAtomic } from '../../../../../main/engine/project/atomic';
import { serialize } from '../../../../../main/engine/project/lock';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ts-atomic-'));

describe('writeTextAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, 'old');
    await writeTextAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('keeps the old file and removes the temp file when the check before the rename refuses', async () => {
    const file = path.join(dir, 'b.json');
    writeFileSync(file, 'theirs');
    const refused = writeTextAtomic(file, 'mine', {
      beforeRename: async () => {
        throw new Error('changed meanwhile');
      },
    });
    await expect(refused).rejects.toThrow('changed meanwhile');
    expect(await readFile(file, 'utf8')).toBe('theirs');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('serialize', () => {
  it('runs work of one key in call order, even after a failure, and other keys independently', async () => {
    const order: string[] = [];
    const slow = serialize('k', async () => {
      await sleep(20);
      order.push('first');
      throw new Error('boom');
    });
    const second = serialize('k', async () => {
      order.push('second');
      return 2;
    });
    const other = serialize('other', async () => {
      order.push('other');
    });
    await expect(slow).rejects.toThrow('boom');
    expect(await second).toBe(2);
    await other;
    expect(order).toEqual(['other', 'first', 'second']);
  });
});
