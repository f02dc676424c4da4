import { describe, expect, it } from 'vitest';
import { recommendBase, type BaseCandidate } from '../../../../shared/auto/recommend-base';

const bundled: BaseCandidate = {
  id: 'nsfwjs-mobilenet-v2',
  name: 'MobileNetV2 224 (bundled, nsfwjs)',
  source: 'bundled',
  cached: true,
  extractPerSecond: 380,
};
const inception: BaseCandidate = {
  id: 'nsfwjs-inception-v3',
  name: 'InceptionV3 299 (bundled, nsfwjs)',
  source: 'bundled',
  cached: true,
};
const tm = (cached: boolean, extractPerSecond?: number): BaseCandidate => ({
  id: 'tm-mobilenet-v2-1.00',
  name: 'MobileNetV2 1.00 224 (Teachable Machine)',
  source: 'catalog',
  cached,
  ...(extractPerSecond ? { extractPerSecond } : {}),
});

describe('recommendBase', () => {
  it('online: the ImageNet catalog base, with the bundled one as the offline fallback', () => {
    const r = recommendBase({ bases: [bundled, inception, tm(false)], networkReachable: true })!;
    expect(r.id).toBe('tm-mobilenet-v2-1.00');
    expect(r.fallbackId).toBe('nsfwjs-mobilenet-v2');
    expect(r.reason).toBe(
      "MobileNetV2 1.00 224 (Teachable Machine) learned from ImageNet's 1,000 everyday classes, so its features suit " +
        'most images (a one-time download); the bundled MobileNetV2 224 is the offline fallback.',
    );
  });

  it('offline but downloaded already: still the ImageNet base', () => {
    const r = recommendBase({ bases: [bundled, tm(true)], networkReachable: false })!;
    expect(r.id).toBe('tm-mobilenet-v2-1.00');
    expect(r.reason).toContain('(downloaded)');
  });

  it('offline and not downloaded: the bundled MobileNetV2, fast, with its measured speed', () => {
    const r = recommendBase({ bases: [inception, bundled, tm(false)], networkReachable: false })!;
    expect(r.id).toBe('nsfwjs-mobilenet-v2');
    expect(r.fallbackId).toBeUndefined();
    expect(r.reason).toMatch(
      /^MobileNetV2 224 works offline and is about 380 images\/s here; the catalog cannot be reached/,
    );
    expect(r.reason.split('. ').length).toBe(1);
  });

  it('unknown network counts as offline', () => {
    expect(recommendBase({ bases: [bundled, tm(false)] })!.id).toBe('nsfwjs-mobilenet-v2');
  });

  it('weighs speed and dataset size against the budget: a slow ImageNet base that does not fit loses', () => {
    const slowTm = tm(true, 20);
    const big = { bases: [bundled, slowTm], networkReachable: true, images: 20_000, budgetSeconds: 300 };
    const r = recommendBase(big)!;
    expect(r.id).toBe('nsfwjs-mobilenet-v2');
    expect(r.reason).toMatch(/20,000 images fit your 5-minute budget, which the ImageNet base would not\.$/);
    // Small data: the ImageNet base fits and wins.
    expect(recommendBase({ ...big, images: 500 })!.id).toBe('tm-mobilenet-v2-1.00');
  });

  it('nothing listed: nothing recommended', () => {
    expect(recommendBase({ bases: [] })).toBeUndefined();
  });
});
