import { describe, expect, it } from 'vitest';
import { formatInspectReport } from '../../../main/cli/inspect-report';
import type { InsightResult } from '../../../shared/contract/insight';

describe('formatInspectReport', () => {
  it('prints one section per finding kind, cutting long lists with a count', () => {
    const images = Array.from({ length: 30 }, (_, i) => ({
      path: `/d/${i < 15 ? 'cat' : 'dog'}/${i}.png`,
      label: i < 15 ? 'cat' : 'dog',
      split: 'train' as const,
      hash: `h${i}`,
    }));
    const result: InsightResult = {
      createdAt: '2026-01-01T00:00:00.000Z',
      base: 'nsfwjs-mobilenet-v2',
      fingerprint: 'f',
      classes: ['cat', 'dog'],
      images,
      suspects: Array.from({ length: 22 }, (_, i) => ({
        image: i,
        label: 'cat',
        suggested: 'dog',
        givenProbability: 0.1,
        suggestedProbability: 0.9,
        score: 0.8,
      })),
      nearDuplicates: [
        { kind: 'leakage', images: [1, 2], similarity: 0.99, message: 'LEAK' },
        { kind: 'near-duplicate', images: [3, 4], similarity: 0.98, hashDistance: 2, message: 'DUP' },
      ],
      outliers: [{ image: 29, score: 6.25, nearestClass: 'dog', message: 'FAR' }],
      outOfFoldAccuracy: 0.9,
      map: null,
      settings: { folds: 5, seed: 42, duplicateSimilarity: 0.97 },
      skipped: [{ path: '/d/x.png', reason: 'truncated' }],
      durationMs: 1500,
    };
    const text = formatInspectReport(result);
    expect(text.split('\n')[0]).toBe(
      'Inspected 30 images in 2 classes with nsfwjs-mobilenet-v2 (5 folds, seed 42, out-of-fold accuracy 90.0%) in 1.5 s',
    );
    expect(text).toContain(
      'Possible mislabels (22):\n    1. "/d/cat/0.png" labelled "cat", looks like "dog" (p 0.10 vs 0.90)',
    );
    expect(text).toContain('  … and 2 more (use --json for all)');
    expect(text).toContain('Split leakage (1 group):\n  ✗ LEAK');
    expect(text).toContain('Label conflicts (0 groups):\n  none');
    expect(text).toContain('Near-duplicates (1 group):\n  ! DUP');
    expect(text).toContain('Outliers (1):\n  ! FAR (score 6.3)');
    expect(text).toContain('Skipped (1, could not be read):\n  ✗ "/d/x.png": truncated');
  });
});
