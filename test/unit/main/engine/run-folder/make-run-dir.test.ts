import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRunDir } from '../../../../../main/engine/run-folder/make-run-dir';

describe('makeRunDir', () => {
  let tmp = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'make-run-dir-'));
    await writeFile(path.join(tmp, 'a-file'), 'x');
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('makes the folder and its parents, and accepts one that exists', async () => {
    const dir = path.join(tmp, 'a', 'b', 'run');
    await makeRunDir(dir);
    await makeRunDir(dir);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it('says in words why a folder cannot be made, never a raw EEXIST / ENOTDIR', async () => {
    await expect(makeRunDir(path.join(tmp, 'a-file'))).rejects.toThrow(
      /a-file".*cannot be created: a file \(not a folder\) already has that name/,
    );
    await expect(makeRunDir(path.join(tmp, 'a-file', 'run'))).rejects.toThrow(
      /cannot be created: part of that path is a file, not a folder/,
    );
    await expect(makeRunDir(path.join(tmp, 'a-file', 'run'))).rejects.not.toThrow(/ENOTDIR/);
  });

  it('fails (rather than spinning) where a folder can never be made', async () => {
    await expect(makeRunDir('/proc/transfer-studio-cannot-exist/run')).rejects.toThrow(/cannot be created/);
  });
});
