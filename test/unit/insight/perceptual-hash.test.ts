import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHashPairs, differenceHash, hammingDistance } from '../../../main/engine/insight/perceptual-hash';
import { UnionFind } from '../../../main/engine/insight/union-find';

describe('perceptual hash (dHash)', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'dhash-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('barely changes for resized and recompressed copies, and differs for another picture', async () => {
    const svg = (flip: boolean) =>
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="150"><rect width="200" height="150" fill="#224"/>` +
          `<circle cx="${flip ? 150 : 50}" cy="60" r="40" fill="#e82"/><rect x="${flip ? 20 : 110}" y="90" width="70" height="40" fill="#6c6"/></svg>`,
      );
    const original = path.join(tmp, 'a.png');
    await sharp(svg(false)).png().toFile(original);
    await sharp(original).resize(90).png().toFile(path.join(tmp, 'small.png'));
    await sharp(original).jpeg({ quality: 40 }).toFile(path.join(tmp, 'a.jpg'));
    await sharp(svg(true)).png().toFile(path.join(tmp, 'b.png'));
    const [a, small, jpeg, b] = await Promise.all(
      ['a.png', 'small.png', 'a.jpg', 'b.png'].map((f) => differenceHash(path.join(tmp, f))),
    );
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(a!, small!)).toBeLessThanOrEqual(4);
    expect(hammingDistance(a!, jpeg!)).toBeLessThanOrEqual(4);
    expect(hammingDistance(a!, b!)).toBeGreaterThan(16);
    await expect(differenceHash(path.join(tmp, 'missing.png'))).rejects.toThrow();
  });

  it('counts differing bits and lists the close pairs', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0f00000000000001', '0000000000000000')).toBe(5);
    expect(closeHashPairs(['0000000000000000', undefined, '0000000000000003', 'ffff000000000000'], 2)).toEqual([
      [0, 2],
    ]);
  });

  it('groups pairs with union-find', () => {
    const sets = new UnionFind(7);
    sets.union(0, 3);
    sets.union(5, 3);
    sets.union(2, 6);
    expect(sets.groups()).toEqual([
      [0, 3, 5],
      [2, 6],
    ]);
    expect(sets.find(5)).toBe(sets.find(0));
  });
});
