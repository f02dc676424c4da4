import { describe, expect, it } from 'vitest';
import type { ImageRecord } from '../../../../../shared/contract/data';
import { sha256 } from '../../../../../main/engine/data/hash';
import { assignSplit, splitRecords } from '../../../../../main/engine/data/split';

function records(cls: string, from: number, count: number): ImageRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `/d/${cls}/${from + i}.png`,
    class: cls,
    hash: sha256(`${cls}-${from + i}`),
    width: 10,
    height: 10,
    format: 'png',
    bytes: 1,
    duplicate: false,
  }));
}

const fractions = { train: 0.7, validation: 0.15, test: 0.15 };

describe('splitRecords', () => {
  it('never moves an existing image when 10% more images are added', () => {
    const before = [...records('cat', 0, 300), ...records('dog', 0, 200)];
    const added = [...records('cat', 300, 30), ...records('dog', 200, 20)];
    const first = splitRecords(before, fractions, 7);
    const second = splitRecords([...added.slice(0, 25), ...before, ...added.slice(25)], fractions, 7);
    const where = new Map(second.assignments.map((a) => [a.path, a.split]));
    for (const a of first.assignments) expect(where.get(a.path)).toBe(a.split);
    expect(second.assignments.length).toBe(550);
  });

  it('keeps per-class counts close to the fractions (stratified) and reports them', () => {
    const result = splitRecords([...records('cat', 0, 1000), ...records('dog', 0, 400)], fractions, 1);
    for (const cls of result.perClass) {
      const total = cls.train + cls.validation + cls.test;
      // Binomial spread: within 4 standard deviations.
      for (const split of ['train', 'validation', 'test'] as const) {
        const sd = Math.sqrt(total * fractions[split] * (1 - fractions[split]));
        expect(Math.abs(cls[split] - total * fractions[split])).toBeLessThan(4 * sd);
      }
    }
    expect(result.counts.train + result.counts.validation + result.counts.test).toBe(1400);
    expect(result.perClass.map((c) => c.name)).toEqual(['cat', 'dog']);
  });

  it('depends on the seed, and is the same for the same seed', () => {
    const data = records('cat', 0, 200);
    const a = splitRecords(data, fractions, 1).assignments.map((x) => x.split);
    expect(splitRecords(data, fractions, 1).assignments.map((x) => x.split)).toEqual(a);
    expect(splitRecords(data, fractions, 2).assignments.map((x) => x.split)).not.toEqual(a);
  });

  it('keeps identical files together and leaves in-class duplicates out', () => {
    const [one] = records('cat', 0, 1);
    const copy = { ...one!, path: '/d/cat/copy.png', duplicate: true };
    const result = splitRecords([one!, copy], fractions, 0);
    expect(result.assignments.map((a) => a.path)).toEqual([one!.path]);
    expect(assignSplit(one!.hash, 0, fractions)).toBe(result.assignments[0]!.split);
  });

  it('warns when a class gets no images in a split', () => {
    const result = splitRecords(records('rare', 0, 2), { train: 0.5, validation: 0.25, test: 0.25 }, 0);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.warnings[0]).toMatch(/Class "rare" has no (train|validation|test) images \(2 in all\)/);
  });
});
