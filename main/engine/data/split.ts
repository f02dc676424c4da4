import type { ImageRecord } from '../../../shared/contract/data';
import { sha256, unitFromHash } from './hash';

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export interface SplitCounts {
  train: number;
  validation: number;
  test: number;
}

/** One image's place in the split. */
export interface SplitAssignment {
  path: string;
  class: string;
  hash: string;
  split: SplitName;
  /** Set when the image left its natural split (its key's) to give a small class its one image in `split`. */
  borrowed?: true;
}

export interface SplitResult {
  /** One entry per unique image (in-class duplicates left out, so copies never straddle splits). */
  assignments: SplitAssignment[];
  counts: SplitCounts;
  perClass: ({ name: string } & SplitCounts)[];
  warnings: string[];
}

const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];

/** The image's key: hash(seed + content hash) mapped to a uniform number in [0, 1). */
export function splitKey(contentHash: string, seed: number): number {
  return unitFromHash(sha256(`${seed}:${contentHash}`));
}

/**
 * Which split an image naturally belongs to: a fixed threshold on its key. It depends only on the
 * image's own bytes, the seed and the fractions — never on the other images — so adding images
 * never moves an existing one, and identical files always land together. Stratification holds per
 * class in expectation (each class's images are cut by the same thresholds); counts are reported.
 * {@link splitRecords} adds one exception for small classes (see there).
 */
export function assignSplit(contentHash: string, seed: number, fractions: SplitFractions): SplitName {
  return splitOfKey(splitKey(contentHash, seed), fractions);
}

/** The natural split of a key: train below `train`, then validation, then test. */
function splitOfKey(key: number, fractions: SplitFractions): SplitName {
  if (key < fractions.train) return 'train';
  if (key < fractions.train + fractions.validation) return 'validation';
  return 'test';
}

/**
 * The splits a class of `n` images is guaranteed one image in: train and validation from 2 images
 * on, test from 3 on — each only when its fraction is above 0.
 */
export function guaranteedSplits(n: number, fractions: SplitFractions): Set<SplitName> {
  const guaranteed = new Set<SplitName>();
  if (n >= 2 && fractions.train > 0) guaranteed.add('train');
  if (n >= 2 && fractions.validation > 0) guaranteed.add('validation');
  if (n >= 3 && fractions.test > 0) guaranteed.add('test');
  return guaranteed;
}

interface Keyed {
  assignment: SplitAssignment;
  key: number;
}

/**
 * Gives every guaranteed split of one class at least one image. A split the thresholds left empty
 * borrows the lowest-key image of the class's training images when training can spare one (it has
 * 2 or more, or is not guaranteed), else of the split that has the most images and can spare one
 * (validation before test on ties). Validation is served first, then test, then train.
 */
function borrowForClass(images: Keyed[], fractions: SplitFractions): void {
  const guaranteed = guaranteedSplits(images.length, fractions);
  const members = (split: SplitName) => images.filter((image) => image.assignment.split === split);
  const canSpare = (split: SplitName) => {
    const count = members(split).length;
    return count >= 2 || (count === 1 && !guaranteed.has(split));
  };
  for (const needy of ['validation', 'test', 'train'] as const) {
    if (!guaranteed.has(needy) || members(needy).length > 0) continue;
    const others = SPLITS.filter((s) => s !== needy && canSpare(s));
    if (others.length === 0) continue;
    const donor = others.includes('train')
      ? 'train'
      : others.reduce((best, s) => (members(s).length > members(best).length ? s : best));
    const pick = members(donor)
      .filter((image) => !image.assignment.borrowed)
      .sort((a, b) => a.key - b.key || (a.assignment.path < b.assignment.path ? -1 : 1))[0];
    if (!pick) continue;
    pick.assignment.split = needy;
    pick.assignment.borrowed = true;
  }
}

/**
 * Splits scan records (duplicates within a class are skipped) and counts per class.
 *
 * Every image first goes to its natural split ({@link assignSplit}). Then, per class, each
 * guaranteed split ({@link guaranteedSplits}: train and validation for n ≥ 2 usable images, test
 * too for n ≥ 3 when its fraction is above 0) that got no image borrows one — normally the class's
 * lowest-key training image; the assignment is marked `borrowed`. This is the one exception to
 * stability: only classes that had no natural image in a guaranteed split are touched, and only
 * their borrowed images can move when images are added (a borrowed image goes back to its natural
 * split once the class has a natural image in the split it was lent to, or is replaced by a newly
 * added image with a lower key). Images of classes with a natural image in every guaranteed split
 * never move.
 */
export function splitRecords(records: readonly ImageRecord[], fractions: SplitFractions, seed: number): SplitResult {
  const byClass = new Map<string, Keyed[]>();
  const assignments: SplitAssignment[] = [];
  for (const record of records) {
    if (record.duplicate) continue;
    const key = splitKey(record.hash, seed);
    const assignment: SplitAssignment = {
      path: record.path,
      class: record.class,
      hash: record.hash,
      split: splitOfKey(key, fractions),
    };
    assignments.push(assignment);
    let group = byClass.get(record.class);
    if (!group) byClass.set(record.class, (group = []));
    group.push({ assignment, key });
  }
  for (const images of byClass.values()) borrowForClass(images, fractions);

  const counts: SplitCounts = { train: 0, validation: 0, test: 0 };
  const perClass = new Map<string, SplitCounts>();
  for (const { class: name, split } of assignments) {
    let classCounts = perClass.get(name);
    if (!classCounts) perClass.set(name, (classCounts = { train: 0, validation: 0, test: 0 }));
    classCounts[split]++;
    counts[split]++;
  }
  const warnings: string[] = [];
  const sorted = [...perClass].map(([name, c]) => ({ name, ...c })).sort((a, b) => a.name.localeCompare(b.name));
  for (const cls of sorted) {
    for (const split of SPLITS) {
      if (fractions[split] > 0 && cls[split] === 0) {
        warnings.push(
          `Class ${JSON.stringify(cls.name)} has no ${split} images (${cls.train + cls.validation + cls.test} in all); add more images to it.`,
        );
      }
    }
  }
  return { assignments, counts, perClass: sorted, warnings };
}
