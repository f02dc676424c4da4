import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FASHION_CLASSES } from '../../../fixtures/fashion-mnist';
import { STYLE_TEST_WEIGHTS, STYLE_TRAIN_WEIGHTS, fashionTask, styleTask } from '../../../../bench/quality/datasets';
import { concatSets, imageSet } from '../../../../bench/quality/images';

describe('quality benchmark tasks', () => {
  it('Fashion-MNIST: a seeded window of the training set, scored on the official t10k images', async () => {
    const task = await fashionTask(3, 2);
    expect(task.train.classes).toEqual([...FASHION_CLASSES].sort());
    expect(task.train.images).toHaveLength(30);
    expect(task.test.images).toHaveLength(20);
    expect(task.test.images[0]!.path).toContain('fashion-mnist-t10k-');
    expect(task.train.images[0]!.path).toMatch(/fashion-mnist-train-3-28-\d+-all/);
    const meta = await sharp(task.train.images[0]!.path).metadata();
    expect([meta.width, meta.height]).toEqual([28, 28]);
    const trainHashes = new Set(task.train.images.map((i) => i.hash));
    expect(trainHashes.size).toBe(30);
  });

  it('icons: trained on regular/bold/fill, tested on unseen thin and duotone, same classes', async () => {
    const task = await styleTask(2);
    expect(STYLE_TRAIN_WEIGHTS).toEqual(['regular', 'bold', 'fill']);
    expect(STYLE_TEST_WEIGHTS).toEqual(['thin', 'duotone']);
    expect(task.train.classes).toEqual(task.test.classes);
    expect(task.train.images).toHaveLength(6 * 2 * 3);
    expect(task.test.images).toHaveLength(6 * 2 * 2);
    expect(task.test.images.every((i) => /\/(thin|duotone)\//.test(i.path))).toBe(true);
  });

  it('refuses sets whose classes differ', () => {
    const a = { images: [], classes: ['a', 'b'] };
    expect(() => concatSets([a, { images: [], classes: ['a'] }])).toThrow(/\["a"\]/);
    expect(() => imageSet('/nonexistent-folder-for-test')).toThrow();
  });
});
