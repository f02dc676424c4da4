import { describe, expect, it } from 'vitest';
import { chooseAutoSettings, type AutoInput } from '../../../../shared/auto/auto-settings';
import { AUTO_TABLE } from '../../../../shared/auto/auto-table';

const mobilenet = { id: 'nsfwjs-mobilenet-v2', fineTunable: true };
/** ORT extraction and tfjs wasm fine-tuning as measured on this 2-core machine. */
const fast = { extract: 300, fineTune: 10, headRows: 5000 };
/** tfjs-only extraction (no ORT) and slow fine-tuning. */
const slow = { extract: 10, fineTune: 2, headRows: 1000 };

const input = (perClass: number, classes: number, budgetSeconds: number, extra: Partial<AutoInput> = {}) =>
  chooseAutoSettings({
    budgetSeconds,
    imagesPerClass: new Array<number>(classes).fill(perClass),
    base: mobilenet,
    speeds: fast,
    ...extra,
  });

describe('chooseAutoSettings', () => {
  it('small dataset, long budget: most augmentation, fine-tunes one block', () => {
    const s = input(40, 3, 600);
    expect(s.augment).toBe(4);
    expect(s.fineTune.top).toBe(1);
    expect(s.fineTune.epochs).toBe(AUTO_TABLE.fineTune.maxEpochs);
    expect(s.fineTune.learningRate).toBe(1e-5);
    expect(s.epochs).toBe(AUTO_TABLE.headEpochs.max);
    expect(s.estimatedSeconds).toBeLessThanOrEqual(600);
    expect(s.reason).toBe(
      'Fine-tuning the top 1 block for 5 epochs fits your 10-minute budget with 120 images; ' +
        'augmentation ×4 because the smallest class has under 50 training images.',
    );
  });

  it('large dataset, short budget: head only, no augmentation, says what fine-tuning would need', () => {
    const s = input(1000, 10, 90);
    expect(s.augment).toBe(0);
    expect(s.fineTune.top).toBe(0);
    expect(s.reason).toMatch(
      /^Training only the head \(up to \d+ epochs\) fits your 90-second budget with 10,000 images; fine-tuning would need about \d+ min; no augmentation, as every class has 500 training images or more\.$/,
    );
    expect(s.estimatedSeconds).toBeLessThanOrEqual(90);
  });

  it('1,000 images, 5-minute budget: fine-tunes and augments as the issue example', () => {
    const s = input(100, 10, 300);
    expect(s.augment).toBe(2);
    expect(s.fineTune.top).toBe(1);
    expect(s.fineTune.epochs).toBeGreaterThanOrEqual(AUTO_TABLE.fineTune.minEpochs);
    expect(s.reason).toMatch(
      /^Fine-tuning the top 1 block for \d epochs fits your 5-minute budget with 1,000 images; augmentation ×2/,
    );
    expect(s.estimatedSeconds).toBeLessThanOrEqual(300);
  });

  it('large dataset, long budget: deeper fine-tuning', () => {
    const s = input(1000, 10, 4 * 3600);
    expect(s.fineTune.top).toBe(3);
    expect(s.augment).toBe(0);
    expect(s.fineTune.epochs).toBe(AUTO_TABLE.fineTune.maxEpochs);
  });

  it('a slow backend gets less: augmentation cut to fit, no fine-tuning, where a fast one fine-tunes', () => {
    const quick = input(100, 10, 400);
    const sluggish = input(100, 10, 400, { speeds: slow });
    expect(quick.fineTune.top).toBeGreaterThan(0);
    expect(sluggish.fineTune.top).toBe(0);
    expect(sluggish.augment).toBeLessThan(quick.augment);
    expect(sluggish.reason).toContain('fine-tuning would need about');
  });

  it('a budget too short even for reading the images says so', () => {
    const s = input(1000, 10, 30, { speeds: slow });
    expect(s.augment).toBe(0);
    expect(s.fineTune.top).toBe(0);
    expect(s.epochs).toBe(AUTO_TABLE.headEpochs.min);
    expect(s.estimatedSeconds).toBeGreaterThan(30);
    expect(s.reason).toMatch(
      /^Even the head alone needs about \d+ min for 10,000 images, more than your 30-second budget;/,
    );
  });

  it('tiny images fine-tune one block more and say why', () => {
    const s = input(100, 10, 1200, { smallImageShare: 1 });
    const plain = input(100, 10, 1200);
    expect(s.fineTune.top).toBe(plain.fineTune.top + 1);
    expect(s.reason).toContain('blocks (one more for tiny images) for');
  });

  it('a base that cannot be fine-tuned trains the head only, and says why', () => {
    const s = input(100, 10, 3600, { base: { id: 'graph', fineTunable: false } });
    expect(s.fineTune.top).toBe(0);
    expect(s.base).toBe('graph');
    expect(s.reason).toContain('this base cannot be fine-tuned');
  });

  it('unmeasured speeds are assumed from the table and listed', () => {
    const s = input(100, 10, 300, { speeds: { extract: 300 } });
    expect(s.assumed).toEqual(['fineTune', 'headRows']);
    expect(input(100, 10, 300).assumed).toEqual([]);
  });

  it('fine-tunes shallower when the depth the data calls for does not fit (Fashion-MNIST in 10 minutes)', () => {
    // 1,000 tiny images per class: 3 blocks + 1 for tiny images wanted; this machine's measured speeds.
    const measured = { extract: 200, fineTune: 60, headRows: 5000 };
    const s = input(1000, 10, 600, { smallImageShare: 1, speeds: measured });
    expect(s.fineTune.top).toBe(1);
    expect(s.fineTune.epochs).toBeGreaterThanOrEqual(AUTO_TABLE.fineTune.minEpochs);
    expect(s.estimatedSeconds).toBeLessThanOrEqual(600);
    expect(s.reason).toMatch(/^Fine-tuning the top 1 block \(not 4: deeper would not fit\) for \d epochs fits/);
    expect(input(1000, 10, 4 * 3600, { smallImageShare: 1, speeds: measured }).fineTune.top).toBe(4);
  });

  it('fine-tunes gently on small classes and faster on large ones (learning rate by class size)', () => {
    expect(input(40, 3, 3600).fineTune.learningRate).toBe(1e-5);
    expect(input(1000, 10, 4 * 3600).fineTune.learningRate).toBe(1e-4);
  });

  it('more budget never means less training', () => {
    let last = input(200, 5, 60);
    for (const budget of [120, 300, 600, 1800, 3600]) {
      const next = input(200, 5, budget);
      // Deeper, or as deep with as many epochs or more.
      expect(next.fineTune.top).toBeGreaterThanOrEqual(last.fineTune.top);
      if (next.fineTune.top === last.fineTune.top && next.fineTune.top > 0)
        expect(next.fineTune.epochs).toBeGreaterThanOrEqual(last.fineTune.epochs);
      expect(next.augment).toBeGreaterThanOrEqual(last.augment);
      last = next;
    }
  });
});
