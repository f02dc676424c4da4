import { describe, expect, it } from 'vitest';
import { InsightResult } from '../../../../../shared/contract/insight';
import { FLAG, findingFlags, findingGroups, findingOf } from '../../../../../renderer/src/lib/insight/findings';

const image = (name: string, label: string, split: 'train' | 'validation' | 'test' = 'train') => ({
  path: `/data/${label}/${name}.png`,
  label,
  split,
  hash: `h-${name}`,
});

/** A result as the engine returns it, parsed by the contract's schema. */
const result = InsightResult.parse({
  createdAt: '2026-11-27T17:00:00.000Z',
  base: 'mobilenet-v2',
  fingerprint: 'f1',
  classes: ['cats', 'dogs'],
  images: [
    image('a', 'cats'),
    image('b', 'cats'),
    image('c', 'dogs'),
    image('d', 'dogs', 'test'),
    image('e', 'cats'),
    image('f', 'dogs'),
  ],
  suspects: [
    { image: 0, label: 'cats', suggested: 'dogs', givenProbability: 0.1, suggestedProbability: 0.9, score: 0.8 },
  ],
  nearDuplicates: [
    { kind: 'leakage', images: [3, 2], similarity: 0.99, message: 'd.png (test) and c.png (train)' },
    { kind: 'label-conflict', images: [1, 5], similarity: 0.98, message: 'b.png in cats, f.png in dogs' },
    { kind: 'near-duplicate', images: [4, 1], similarity: 0.975, message: 'e.png and b.png' },
  ],
  outliers: [{ image: 5, score: 4.2, nearestClass: 'dogs', message: 'f.png is far from every class' }],
  outOfFoldAccuracy: 0.9,
  map: { seed: 42, x: [0, 1, 2, 3, 4, 5], y: [0, 1, 2, 3, 4, 5] },
  settings: { folds: 5, seed: 42, duplicateSimilarity: 0.97 },
  skipped: [],
  durationMs: 1234,
});

describe('findingGroups', () => {
  const groups = findingGroups(result);

  it('orders groups mislabels, conflicts, leakage, duplicates, outliers', () => {
    expect(groups.map((g) => g.kind)).toEqual(['mislabel', 'label-conflict', 'leakage', 'near-duplicate', 'outlier']);
    expect(groups.every((g) => g.items.length === 1)).toBe(true);
  });

  it('offers to move a suspect to the suggested class, or leave it out', () => {
    const item = groups[0]!.items[0]!;
    expect(item.suggested).toBe('dogs');
    expect(item.message).toBe('Filed under cats (10%); looks like dogs (90%).');
    expect(item.fixes.map((f) => f.label)).toEqual(['Move to dogs', 'Leave out']);
    expect(item.fixes[0]).toMatchObject({ paths: ['/data/cats/a.png'], action: { kind: 'move', class: 'dogs' } });
  });

  it('settles a label conflict by moving the other copies into one class', () => {
    const item = groups[1]!.items[0]!;
    expect(item.fixes.map((f) => f.label)).toEqual(['All in cats', 'All in dogs', 'Leave all out']);
    expect(item.fixes[0]!.paths).toEqual(['/data/dogs/f.png']);
    expect(item.fixes[2]!.paths).toHaveLength(2);
  });

  it('leaves out the held-out copy of a leak, and the extra copies of a duplicate', () => {
    expect(groups[2]!.items[0]!.fixes[0]).toMatchObject({
      label: 'Leave out the held-out copy',
      paths: ['/data/dogs/d.png'],
    });
    expect(groups[3]!.items[0]!.fixes[0]).toMatchObject({ label: 'Leave out the copy', paths: ['/data/cats/b.png'] });
  });

  it('gives every item a stable id from the hashes', () => {
    const ids = groups.flatMap((g) => g.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(findingGroups(result).flatMap((g) => g.items.map((i) => i.id))).toEqual(ids);
  });
});

describe('findingFlags and findingOf', () => {
  it('marks each image with the findings it is part of', () => {
    const flags = findingFlags(result);
    expect(flags[0]).toBe(FLAG.mislabel);
    expect(flags[5]).toBe(FLAG.outlier | FLAG.duplicate);
    expect(flags[1]).toBe(FLAG.duplicate);
    expect(flags[2]).toBe(FLAG.duplicate);
  });

  it('describes an image’s finding in words, or nothing', () => {
    expect(findingOf(result, 0)).toBe('Possibly mislabelled: looks like dogs (90%)');
    expect(findingOf(result, 3)).toBe('Copies across train and test: d.png (test) and c.png (train)');
    const clean = InsightResult.parse({ ...result, suspects: [], nearDuplicates: [], outliers: [] });
    expect(findingOf(clean, 0)).toBeUndefined();
  });
});
