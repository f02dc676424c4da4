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

export interface SplitResult {
  /** One entry per unique image (in-class duplicates left out, so copies never straddle splits). */
  assignments: { path: string; class: string; hash: string; split: SplitName }[];
  counts: SplitCounts;
  perClass: ({ name: string } & SplitCounts)[];
  warnings: string[];
}

/** The image's key: hash(seed + content hash) mapped to a uniform number in [0, 1). */
export function splitKey(contentHash: string, seed: number): number {
  return unitFromHash(sha256(`${seed}:${contentHash}`));
}

/**
 * Which split an image belongs to: a fixed threshold on its key. It depends only on the image's
 * own bytes, the seed and the fractions — never on the other images — so adding images never
 * moves an existing one, and identical files always land together. Stratification holds per class
 * in expectation (each class's images are cut by the same thresholds); counts are reported.
 */
export function assignSplit(contentHash: string, seed: number, fractions: SplitFractions): SplitName {
  const key = splitKey(contentHash, seed);
  if (key < fractions.train) return 'train';
  if (key < fractions.train + fractions.validation) return 'validation';
  return 'test';
}

/** Splits scan records (duplicates within a class are skipped) and counts per class. */
export function splitRecords(records: readonly ImageRecord[], fractions: SplitFractions, seed: number): SplitResult {
  const assignments: SplitResult['assignments'] = [];
  const perClass = new Map<string, SplitCounts>();
  const counts: SplitCounts = { train: 0, validation: 0, test: 0 };
  for (const record of records) {
    if (record.duplicate) continue;
    const split = assignSplit(record.hash, seed, fractions);
    assignments.push({ path: record.path, class: record.class, hash: record.hash, split });
    let classCounts = perClass.get(record.class);
    if (!classCounts) perClass.set(record.class, (classCounts = { train: 0, validation: 0, test: 0 }));
    classCounts[split]++;
    counts[split]++;
  }
  const warnings: string[] = [];
  const sorted = [...perClass].map(([name, c]) => ({ name, ...c })).sort((a, b) => a.name.localeCompare(b.name));
  for (const cls of sorted) {
    for (const split of ['train', 'validation', 'test'] as const) {
      if (fractions[split] > 0 && cls[split] === 0) {
        warnings.push(`Class ${JSON.stringify(cls.name)} has no ${split} images (${cls.train + cls.validation + cls.test} in all); add more images to it.`);
      }
    }
  }
  return { assignments, counts, perClass: sorted, warnings };
}
