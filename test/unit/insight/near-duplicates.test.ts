import { describe, expect, it } from 'vitest';
import { findNearDuplicates, type DuplicateCandidate } from '../../../main/engine/insight/near-duplicates';

/** Unit rows from plain vectors. */
function unitRows(rows: number[][]): Float32Array {
  return Float32Array.from(
    rows.flatMap((row) => {
      const norm = Math.hypot(...row);
      return row.map((v) => v / norm);
    }),
  );
}

const image = (name: string, label: string, split: DuplicateCandidate['split'], hash = name): DuplicateCandidate => ({
  path: `/data/${label}/${name}.png`,
  hash,
  label,
  split,
});

describe('findNearDuplicates', () => {
  const unit = unitRows([
    [1, 0, 0, 0], // 0 cat/a train
    [0.99, 0.05, 0, 0], // 1 cat/b train: near 0
    [0.99, 0, 0.05, 0], // 2 cat/c test: near 0 → leakage with 0 and 1
    [0, 1, 0, 0], // 3 dog/d train
    [0, 0.99, 0, 0.05], // 4 cat/e train: near 3 → label conflict
    [0, 0, 0, 1], // 5 dog/f train: far from all features, but hash close to 6
    [0, 0, 0.6, 0.8], // 6 dog/g train: cosine 0.8 with 5
    [0, 0, 1, 0], // 7 dog/h train
  ]);
  const images = [
    image('a', 'cat', 'train'),
    image('b', 'cat', 'train'),
    image('c', 'cat', 'test'),
    image('d', 'dog', 'train'),
    image('e', 'cat', 'train'),
    image('f', 'dog', 'train'),
    image('g', 'dog', 'train'),
    image('h', 'dog', 'train'),
  ];
  const all: [number, number][] = [];
  for (let i = 0; i < 8; i++) for (let j = i + 1; j < 8; j++) all.push([i, j]);
  const hashes = ['0', '1', '2', '3', '4', '5', '6', '7'].map((_, i) =>
    i === 5 ? '00000000000000ff' : i === 6 ? '00000000000001ff' : `${String(i).repeat(4)}f0f0f0f0f0f0`.slice(0, 16),
  );

  it('groups feature and hash pairs and names leakage, label conflicts and near-duplicates', () => {
    const groups = findNearDuplicates(unit, 4, images, all, hashes, { similarity: 0.97 });
    const summary = groups.map((g) => [g.kind, g.images]);
    expect(summary).toEqual([
      ['leakage', [0, 1, 2]],
      ['label-conflict', [3, 4]],
      ['near-duplicate', [5, 6]],
    ]);
    expect(groups[0]!.message).toContain('"/data/cat/c.png" ("cat", test)');
    expect(groups[0]!.message).toMatch(/test score counts it as unseen/);
    expect(groups[1]!.message).toMatch(/labelled "cat" and "dog"/);
    expect(groups[2]!.hashDistance).toBe(1);
    expect(groups[2]!.similarity).toBeCloseTo(0.8, 5);
    expect(groups[0]!.similarity).toBeGreaterThan(0.99);
  });

  it('needs the hash pair to show the same kind of picture, and never pairs byte-identical files', () => {
    const strict = findNearDuplicates(unit, 4, images, all, hashes, { similarity: 0.97, hashSimilarity: 0.9 });
    expect(strict.map((g) => g.images)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    const sameBytes = images.map((im, i) => (i === 3 || i === 4 ? { ...im, hash: 'same' } : im));
    const groups = findNearDuplicates(unit, 4, sameBytes, all, hashes, { similarity: 0.97 });
    expect(groups.map((g) => g.images)).toEqual([
      [0, 1, 2],
      [5, 6],
    ]);
  });
});
