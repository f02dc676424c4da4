import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSpecInput } from '../../../../../shared/contract/data';
import { DatasetSpec } from '../../../../../shared/contract/data';
import { sha256File } from '../../../../../main/engine/data/hash';
import { scanDataset } from '../../../../../main/engine/data/scan';
import { splitRecords } from '../../../../../main/engine/data/split';
import { loadDataset } from '../../../../../main/engine/training/dataset';
import { writeClass } from '../../../../fixtures/generated';

let tmp: string;
let cats: string[];
/** The same bytes filed as a cat and as a dog (twice: two copies in dogs). */
let copies: { cat: string; dog: string; dog2: string };
let hash: string;
const FRACTIONS = { train: 0.7, validation: 0.15, test: 0.15 };

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-conflict-'));
  cats = await writeClass(path.join(tmp, 'cats'), 6, { seed: 1 });
  await writeClass(path.join(tmp, 'dogs'), 6, { seed: 2 });
  copies = { cat: cats[0]!, dog: path.join(tmp, 'dogs', 'a-cat.png'), dog2: path.join(tmp, 'dogs', 'b-cat.png') };
  copyFileSync(copies.cat, copies.dog);
  copyFileSync(copies.cat, copies.dog2);
  hash = await sha256File(copies.cat);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spec(conflicts?: Record<string, string | null>): DatasetSpecInput {
  return {
    sources: [{ path: tmp, mode: 'parent' }],
    ...(conflicts ? { files: { excluded: [], classes: {}, conflicts } } : {}),
  };
}

/** Paths used (not `duplicate`) among the three copies, and the split's copies. */
async function usedCopies(conflicts?: Record<string, string | null>) {
  const scan = await scanDataset(spec(conflicts));
  const all = [copies.cat, copies.dog, copies.dog2];
  const used = scan.records.filter((r) => all.includes(r.path) && !r.duplicate).map((r) => r.path);
  const split = splitRecords(scan.records, FRACTIONS, 0).assignments.filter((a) => a.hash === hash);
  return { scan, used, split };
}

describe('label conflicts with a pick recorded by content hash', () => {
  it('without a pick, the image is in neither class (report, counts and split agree)', async () => {
    const { scan, used, split } = await usedCopies();
    expect(scan.summary.duplicates.map((d) => [d.kind, d.classes])).toEqual([['label-conflict', ['cats', 'dogs']]]);
    expect(scan.summary.classes).toEqual([
      { name: 'cats', count: 5 },
      { name: 'dogs', count: 6 },
    ]);
    expect(used).toEqual([]);
    expect(split).toEqual([]);
  });

  it('"Keep in dogs": one copy trains as a dog, the cat copy is left out, the conflict is resolved', async () => {
    const { scan, used, split } = await usedCopies({ [hash]: 'dogs' });
    const group = scan.summary.duplicates[0]!;
    expect(group).toMatchObject({ kind: 'resolved-conflict', kept: 'dogs', hash, classes: ['cats', 'dogs'] });
    expect(group.message).toContain('kept in "dogs" only');
    expect(scan.summary.duplicates.some((d) => d.kind === 'label-conflict')).toBe(false);
    expect(scan.summary.classes).toEqual([
      { name: 'cats', count: 5 },
      { name: 'dogs', count: 7 },
    ]);
    expect(scan.summary.canTrain).toBe(true);
    // The two dog copies count once (the first one), the cat copy not at all.
    expect(used).toEqual([copies.dog]);
    expect(split.map((a) => [a.path, a.class])).toEqual([[copies.dog, 'dogs']]);

    // Training's own loading (scan + split, the run's code path) agrees.
    const loaded = await loadDataset(
      DatasetSpec.parse(spec({ [hash]: 'dogs' })),
      { ...FRACTIONS, seed: 0 },
      undefined,
      new AbortController().signal,
    );
    const all = [...loaded.train, ...loaded.validation, ...loaded.test].filter((image) => image.hash === hash);
    expect(all.map((image) => [image.path, loaded.classes[image.label]])).toEqual([[copies.dog, 'dogs']]);
  });

  it('"Keep in cats" and "Leave out everywhere"', async () => {
    const kept = await usedCopies({ [hash]: 'cats' });
    expect(kept.used).toEqual([copies.cat]);
    expect(kept.scan.summary.classes).toEqual([
      { name: 'cats', count: 6 },
      { name: 'dogs', count: 6 },
    ]);
    const none = await usedCopies({ [hash]: null });
    expect(none.scan.summary.duplicates[0]).toMatchObject({ kind: 'resolved-conflict', kept: null });
    expect(none.scan.summary.duplicates[0]!.message).toContain('left out of every class (your choice)');
    expect(none.used).toEqual([]);
    expect(none.split).toEqual([]);
  });

  it('a pick naming a class the image is not in (renamed since) leaves the conflict open', async () => {
    const { scan, used } = await usedCopies({ [hash]: 'birds' });
    expect(scan.summary.duplicates.map((d) => d.kind)).toEqual(['label-conflict']);
    expect(used).toEqual([]);
  });

  it('refuses a pick key that is not a content hash, naming the field', () => {
    const parsed = DatasetSpec.safeParse(spec({ 'not-a-hash': 'dogs' }));
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error!.issues[0]!.path)).toContain('conflicts');
  });
});
