import { describe, expect, it } from 'vitest';
import { checkResumeData, dataChanges, fingerprintOf } from '../../../../../main/engine/training/data-fingerprint';

const img = (name: string, label: number) => ({ path: `/d/${name}.png`, hash: `h-${name}`, label });
const base = {
  classes: ['cat', 'dog'],
  train: [img('c1', 0), img('c2', 0), img('d1', 1), img('d2', 1)],
  validation: [img('c3', 0), img('d3', 1)],
  test: [img('d4', 1)],
};

describe('data fingerprint of a run', () => {
  it('counts per class and split, and is independent of order', () => {
    const fp = fingerprintOf(base);
    expect(fp.classes).toEqual([
      { name: 'cat', train: 2, validation: 1, test: 0 },
      { name: 'dog', train: 2, validation: 1, test: 1 },
    ]);
    expect(fingerprintOf({ ...base, train: [...base.train].reverse() }).digest).toBe(fp.digest);
  });

  it('names the changed counts per class and split', () => {
    const fewer = fingerprintOf({ ...base, train: base.train.slice(1) });
    expect(dataChanges(fingerprintOf(base), fewer)).toEqual(['"cat": train 2 → 1']);
    const newClass = fingerprintOf({ ...base, classes: ['cat', 'dog', 'eel'], train: [...base.train, img('e1', 2)] });
    expect(dataChanges(fingerprintOf(base), newClass)).toEqual(['new class "eel" (train 0 → 1)']);
  });

  it('notices a replaced file even when the counts agree', () => {
    const replaced = fingerprintOf({ ...base, train: [{ ...img('c1', 0), hash: 'other' }, ...base.train.slice(1)] });
    expect(dataChanges(fingerprintOf(base), replaced)).toEqual([
      'the same number of images per class and split, but some files were replaced, edited or moved',
    ]);
  });

  it('refuses a resume on changed data unless allowed; old runs without a record are not checked', () => {
    const recorded = fingerprintOf(base);
    const current = fingerprintOf({ ...base, validation: base.validation.slice(1) });
    expect(() => checkResumeData('/run', recorded, current, false)).toThrow(
      /"cat": validation 1 → 0.*--allow-changed-data/,
    );
    expect(checkResumeData('/run', recorded, current, true)).toEqual(['"cat": validation 1 → 0']);
    expect(checkResumeData('/run', recorded, recorded, false)).toEqual([]);
    expect(checkResumeData('/run', undefined, current, false)).toEqual([]);
  });
});
