import { describe, expect, it } from 'vitest';
import { formatScanReport, tableName } from '../../../../../main/cli/commands/scan';
import type { ScanSummary } from '../../../../../shared/contract/data';

const summary = (over: Partial<ScanSummary>): ScanSummary => ({
  scanId: 's',
  recordsFile: '/c/s.jsonl',
  classes: [],
  images: 0,
  filesSeen: 0,
  problems: [],
  problemCounts: {},
  problemsOmitted: 0,
  duplicates: [],
  warnings: [],
  canTrain: true,
  ...over,
});

describe('scan text report', () => {
  it('keeps a class name with a newline on one table line, quoted', () => {
    expect(tableName('two\nlines')).toBe('"two\\nlines"');
    expect(tableName('plain name')).toBe('plain name');
    const text = formatScanReport(
      summary({
        classes: [
          { name: 'two\nlines', count: 3 },
          { name: 'cats', count: 4 },
        ],
        images: 7,
        filesSeen: 7,
      }),
    );
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^ {2}"two\\nlines" +3$/);
    expect(lines[2]).toMatch(/^ {2}cats +4$/);
  });

  it('header count is the sum of the class counts and says how many copies were left out', () => {
    const text = formatScanReport(
      summary({
        classes: [
          { name: 'a', count: 2 },
          { name: 'b', count: 2 },
        ],
        images: 4,
        filesSeen: 7,
        duplicates: [
          { kind: 'duplicate', hash: 'h', paths: ['/a/1', '/a/2'], classes: ['a'], message: 'copies' },
          { kind: 'label-conflict', hash: 'k', paths: ['/a/3', '/b/3'], classes: ['a', 'b'], message: 'both' },
        ],
      }),
    );
    expect(text.split('\n')[0]).toBe('4 usable images in 2 classes (7 files seen; 3 identical copies left out)');
  });

  it('counts settled label conflicts: all but the kept copy left out, every copy when left out everywhere', () => {
    const text = formatScanReport(
      summary({
        classes: [
          { name: 'a', count: 3 },
          { name: 'b', count: 2 },
        ],
        images: 5,
        filesSeen: 10,
        duplicates: [
          {
            kind: 'resolved-conflict',
            hash: 'k',
            paths: ['/a/3', '/b/3'],
            classes: ['a', 'b'],
            kept: 'a',
            message: 'a',
          },
          {
            kind: 'resolved-conflict',
            hash: 'm',
            paths: ['/a/4', '/b/4'],
            classes: ['a', 'b'],
            kept: null,
            message: 'x',
          },
        ],
      }),
    );
    expect(text.split('\n')[0]).toBe('5 usable images in 2 classes (10 files seen; 3 identical copies left out)');
    expect(text).toContain('  ! a\n  ! x');
  });

  it('names the exit code when nothing can be trained', () => {
    expect(formatScanReport(summary({ canTrain: false }))).toMatch(
      /Not ready to train: fix the ✗ items above \(exit code 2\)\.$/,
    );
  });
});
