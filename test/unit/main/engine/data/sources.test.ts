import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSourceMode } from '../../../../../main/engine/data/sources';
import { scanDataset } from '../../../../../main/engine/data/scan';
import { writeClass } from '../../../../fixtures/generated';

let tmp: string;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-src-'));
  await writeClass(path.join(tmp, 'animals', 'cat'), 3, { seed: 1 });
  await writeClass(path.join(tmp, 'animals', 'kitten', 'deep', 'deeper'), 2, { seed: 2 });
  await writeClass(path.join(tmp, 'animals', 'dog'), 4, { seed: 3 });
  await writeClass(path.join(tmp, 'animals', 'junkclass'), 2, { seed: 4 });
  await writeClass(path.join(tmp, 'more birds'), 3, { seed: 5 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('sources', () => {
  it('nested images belong to their top folder; several sources, renames, merges, exclusions', async () => {
    const { summary, records } = await scanDataset(
      {
        sources: [
          { path: path.join(tmp, 'animals'), mode: 'parent' },
          { path: path.join(tmp, 'more birds'), mode: 'class', className: 'bird' },
        ],
        renames: { kitten: 'cat' },
        merges: [],
        excluded: ['junkclass'],
      },
      { decode: false },
    );
    expect(summary.classes).toEqual([
      { name: 'bird', count: 3 },
      { name: 'cat', count: 5 },
      { name: 'dog', count: 4 },
    ]);
    expect(records.filter((r) => r.path.includes(`${path.sep}deeper${path.sep}`)).every((r) => r.class === 'cat')).toBe(
      true,
    );
  });

  it('single-image edits leave an image out or give it another class, by path, without touching the files', async () => {
    const cats = readdirSync(path.join(tmp, 'animals', 'cat')).sort();
    const dogs = readdirSync(path.join(tmp, 'animals', 'dog')).sort();
    const left = path.join(tmp, 'animals', 'cat', cats[0]!);
    const moved = path.join(tmp, 'animals', 'dog', dogs[0]!);
    const { summary, records } = await scanDataset(
      {
        sources: [{ path: path.join(tmp, 'animals'), mode: 'parent' }],
        excluded: ['junkclass', 'kitten'],
        files: { excluded: [left], classes: { [moved]: 'cat' } },
      },
      { decode: false },
    );
    expect(summary.classes).toEqual([
      { name: 'cat', count: 3 },
      { name: 'dog', count: 3 },
    ]);
    expect(records.some((r) => r.path === left)).toBe(false);
    expect(records.find((r) => r.path === moved)?.class).toBe('cat');
    expect(readdirSync(path.join(tmp, 'animals', 'cat'))).toHaveLength(3);
  });

  it('a class source defaults to the folder name', async () => {
    const { summary } = await scanDataset(
      { sources: [{ path: path.join(tmp, 'more birds'), mode: 'class' }] },
      { decode: false },
    );
    expect(summary.classes).toEqual([{ name: 'more birds', count: 3 }]);
  });

  it('guesses the layout of a dropped folder', async () => {
    expect(await detectSourceMode(path.join(tmp, 'animals'))).toBe('parent');
    expect(await detectSourceMode(path.join(tmp, 'more birds'))).toBe('class');
  });
});
