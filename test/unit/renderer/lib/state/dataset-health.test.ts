import { describe, expect, it } from 'vitest';
import type { ScanSummary } from '../../../../../shared/contract/data';
import { healthGroups } from '../../../../../renderer/src/lib/state/dataset-health';

function summary(part: Partial<ScanSummary>): ScanSummary {
  return {
    scanId: 'abcdef0123456789',
    recordsFile: '/cache/scans/abcdef0123456789.records.jsonl',
    classes: [],
    images: 0,
    filesSeen: 0,
    problems: [],
    problemCounts: {},
    problemsOmitted: 0,
    duplicates: [],
    warnings: [],
    canTrain: true,
    ...part,
  };
}

describe('healthGroups', () => {
  it('groups problems by kind, left-out files first, then label conflicts, then duplicates', () => {
    const groups = healthGroups(
      summary({
        problems: [
          { path: '/d/cats/a.png', kind: 'tiny', message: 'small', severity: 'warning', class: 'cats' },
          { path: '/d/cats/b.png', kind: 'corrupt', message: 'damaged', severity: 'error', class: 'cats' },
          { path: '/d/dogs/c.png', kind: 'tiny', message: 'small', severity: 'warning', class: 'dogs' },
        ],
        problemCounts: { tiny: 2, corrupt: 1, 'zero-byte': 4 },
        problemsOmitted: 4,
        duplicates: [
          {
            kind: 'duplicate',
            hash: 'h1',
            paths: ['/d/cats/x.png', '/d/cats/y.png'],
            classes: ['cats'],
            message: 'copies',
          },
          {
            kind: 'label-conflict',
            hash: 'h2',
            paths: ['/d/cats/z.png', '/d/dogs/z.png'],
            classes: ['cats', 'dogs'],
            message: 'both',
          },
        ],
      }),
    );
    expect(groups.map((g) => [g.kind, g.severity, g.count])).toEqual([
      ['zero-byte', 'error', 4],
      ['corrupt', 'error', 1],
      ['label-conflict', 'error', 1],
      ['tiny', 'warning', 2],
      ['duplicate', 'warning', 1],
    ]);
    expect(groups[0]!.problems).toEqual([]); // counted, but capped out of the list
    expect(groups[1]!.title).toBe('Damaged images');
    expect(groups[2]!.duplicates[0]!.classes).toEqual(['cats', 'dogs']);
    expect(groups[3]!.problems.map((p) => p.path)).toEqual(['/d/cats/a.png', '/d/dogs/c.png']);
  });

  it('lists the conflicts the user settled after left-out files, before warnings, with the class kept', () => {
    const groups = healthGroups(
      summary({
        problems: [{ path: '/d/cats/a.png', kind: 'tiny', message: 'small', severity: 'warning', class: 'cats' }],
        problemCounts: { tiny: 1 },
        duplicates: [
          {
            kind: 'label-conflict',
            hash: 'h2',
            paths: ['/d/cats/z', '/d/dogs/z'],
            classes: ['cats', 'dogs'],
            message: '',
          },
          {
            kind: 'resolved-conflict',
            hash: 'h3',
            paths: ['/d/cats/w', '/d/dogs/w'],
            classes: ['cats', 'dogs'],
            kept: 'dogs',
            message: 'kept in dogs',
          },
        ],
      }),
    );
    expect(groups.map((g) => [g.kind, g.severity, g.count])).toEqual([
      ['label-conflict', 'error', 1],
      ['resolved-conflict', 'warning', 1],
      ['tiny', 'warning', 1],
    ]);
    expect(groups[1]!.title).toBe('Label conflicts you settled');
    expect(groups[1]!.duplicates[0]!.kept).toBe('dogs');
  });

  it('is empty for a clean scan', () => {
    expect(healthGroups(summary({}))).toEqual([]);
  });
});
