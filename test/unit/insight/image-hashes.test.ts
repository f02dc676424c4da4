import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageHashes } from '../../../main/engine/insight/image-hashes';
import { differenceHash } from '../../../main/engine/insight/perceptual-hash';

describe('imageHashes', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'image-hashes-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('hashes every image once, then reads the hashes from the cache; an unreadable file has none', async () => {
    const file = path.join(tmp, 'a.png');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#000' } })
      .composite([
        {
          input: Buffer.from('<svg width="20" height="30"><rect width="20" height="30" fill="#fff"/></svg>'),
          left: 0,
          top: 0,
        },
      ])
      .png()
      .toFile(file);
    const images = [
      { path: file, hash: 'aaaa' },
      { path: path.join(tmp, 'gone.png'), hash: 'bbbb' },
    ];
    const root = path.join(tmp, 'dhash');
    const first = await imageHashes(images, root);
    expect(first).toEqual([await differenceHash(file), undefined]);
    expect((await readdir(root)).length).toBe(1);
    // From the cache: the file is no longer read (it is gone), the hash comes back the same.
    await rm(file);
    expect(await imageHashes(images, root)).toEqual(first);
  });
});
