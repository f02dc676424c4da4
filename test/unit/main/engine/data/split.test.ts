import { describe, expect, it } from 'vitest';
import type { ImageRecord } from '../../../../../shared/contract/data';
import { sha256 } from '../../../../../main/engine/data/hash';
import {
  assignSplit,
  guaranteedSplits,
  splitKey,
  splitRecords,
  type SplitResult,
} from '../../../../../main/engine/data/split';

/**
 * The stability rule, precisely: an image present before and after that changed split was
 * borrowed (lent to a split its class had no natural image in) before or after the addition, and
 * its class lacked a natural image in a guaranteed split before. Every other image stays put.
 */
function expectOnlyBorrowedMoved(first: SplitResult, second: SplitResult): void {
  const after = new Map(second.assignments.map((a) => [a.path, a]));
  const lacking = new Set(first.assignments.filter((a) => a.borrowed).map((a) => a.class));
  for (const a of first.assignments) {
    const now = after.get(a.path)!;
    if (now.split === a.split) continue;
    expect(
      Boolean(a.borrowed || now.borrowed),
      `${a.path} moved ${a.split} → ${now.split} without being borrowed`,
    ).toBe(true);
    expect(lacking.has(a.class), `${a.path} moved in class ${a.class}, which had a natural image in every split`).toBe(
      true,
    );
  }
}

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
  it('never moves an existing image when 10% more images are added (only borrowed images of small classes may move)', () => {
    const before = [...records('cat', 0, 300), ...records('dog', 0, 200)];
    const added = [...records('cat', 300, 30), ...records('dog', 200, 20)];
    const first = splitRecords(before, fractions, 7);
    const second = splitRecords([...added.slice(0, 25), ...before, ...added.slice(25)], fractions, 7);
    expectOnlyBorrowedMoved(first, second);
    // Large classes have a natural image in every split: nothing is borrowed, so nothing moves at all.
    expect(first.assignments.some((a) => a.borrowed) || second.assignments.some((a) => a.borrowed)).toBe(false);
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

  it('gives tiny classes (2, 3 and 5 images) a training and a validation image, and a test image from 3 on', () => {
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const data = [...records('two', 0, 2), ...records('three', 0, 3), ...records('five', 0, 5)];
      const result = splitRecords(data, fractions, seed);
      const by = Object.fromEntries(result.perClass.map((c) => [c.name, c]));
      expect(by.two).toMatchObject({ train: 1, validation: 1, test: 0 });
      expect(by.three).toMatchObject({ train: 1, validation: 1, test: 1 });
      expect(by.five!.train).toBeGreaterThanOrEqual(1);
      expect(by.five!.validation).toBeGreaterThanOrEqual(1);
      expect(by.five!.test).toBeGreaterThanOrEqual(1);
      expect(by.five!.train + by.five!.validation + by.five!.test).toBe(5);
      // Only the test split of the 2-image class stays empty, and it is reported.
      expect(result.warnings).toEqual(['Class "two" has no test images (2 in all); add more images to it.']);
      // A borrowed image is the donor's lowest key; every other image sits where its key puts it.
      for (const a of result.assignments) {
        if (!a.borrowed) expect(a.split).toBe(assignSplit(a.hash, seed, fractions));
      }
    }
    expect([...guaranteedSplits(2, fractions)].sort()).toEqual(['train', 'validation']);
    expect([...guaranteedSplits(3, { train: 0.8, validation: 0.2, test: 0 })].sort()).toEqual(['train', 'validation']);
    expect(guaranteedSplits(1, fractions).size).toBe(0);
  });

  it('lends the lowest-key training image to validation when the thresholds gave a class none', () => {
    // Seek a seed where a 5-image class has no natural validation image but has training images.
    const data = records('small', 0, 5);
    const seed = Array.from({ length: 200 }, (_, s) => s).find((s) => {
      const natural = data.map((r) => assignSplit(r.hash, s, fractions));
      return !natural.includes('validation') && natural.filter((n) => n === 'train').length >= 2;
    })!;
    expect(seed).toBeDefined();
    const result = splitRecords(data, fractions, seed);
    const lent = result.assignments.filter((a) => a.borrowed && a.split === 'validation');
    expect(lent).toHaveLength(1);
    const naturalTrain = data.filter((r) => assignSplit(r.hash, seed, fractions) === 'train');
    const lowest = naturalTrain.reduce((a, b) => (splitKey(a.hash, seed) <= splitKey(b.hash, seed) ? a : b));
    expect(lent[0]!.path).toBe(lowest.path);
  });

  it('a borrowed image returns to training once its class has natural validation and test images; nothing else moves', () => {
    const seed = 3;
    // Two images that both fall in training naturally: one of them is lent to validation.
    const pool = records('grow', 0, 400);
    const naturalTrain = pool.filter((r) => assignSplit(r.hash, seed, fractions) === 'train');
    const start = naturalTrain.slice(0, 2);
    const first = splitRecords(start, fractions, seed);
    const lent = first.assignments.find((a) => a.borrowed)!;
    expect(lent.split).toBe('validation');
    // Add images one at a time (in file order) until natural validation and test images have arrived
    // (on the way, the lent image may serve test instead, as the class's lowest-key training image).
    const natural = new Set<string>();
    let current = [...start];
    let previous = first;
    for (const next of pool.filter((r) => !start.includes(r))) {
      current = [...current, next];
      const result = splitRecords(current, fractions, seed);
      expectOnlyBorrowedMoved(previous, result);
      previous = result;
      natural.add(assignSplit(next.hash, seed, fractions));
      if (natural.has('validation') && natural.has('test')) break;
    }
    const back = previous.assignments.find((a) => a.path === lent.path)!;
    expect(back).toMatchObject({ split: 'train' });
    expect(back.borrowed).toBeUndefined();
    expect(previous.assignments.some((a) => a.borrowed)).toBe(false);
    expect(current.length).toBeGreaterThan(3);
  });
});
