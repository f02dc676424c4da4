import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifacts, chooseRoot, useE2eSession } from './helpers';

const CLASSES = ['birds', 'cats', 'dogs'] as const;
const PER_CLASS = 12;

const session = useE2eSession({
  dataPrefix: 'ts-e2e-data-',
  classes: CLASSES,
  perClass: PER_CLASS,
  async prepare(dataRoot) {
    // A damaged file (a real PNG cut short) and one image filed under two classes.
    const whole = await sharp({
      create: {
        width: 64,
        height: 64,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    writeFileSync(path.join(dataRoot, 'cats', 'broken.png'), whole.subarray(0, Math.floor(whole.length / 2)));
    copyFileSync(path.join(dataRoot, 'dogs', 'dogs-03.png'), path.join(dataRoot, 'birds', 'looks-like-a-dog.png'));
  },
});

/** Class name → image count, as the class table shows them. */
async function tableCounts(page: Page): Promise<Record<string, number>> {
  const rows = page.getByTestId('class-row');
  const names = await rows.getByTestId('class-name').allTextContents();
  const counts = await rows.getByTestId('class-count').allTextContents();
  return Object.fromEntries(names.map((name, i) => [name.trim(), Number(counts[i]!.replace(/,/g, ''))]));
}

describe('the Data step in Chromium', () => {
  it('scans class folders, reports health, renames a class, splits and previews augmentation', async () => {
    const { page, problems } = await session.openPage();
    expect(await page.getAttribute('#step-tab-base', 'aria-disabled')).toBe('true');
    await chooseRoot(page);

    // The root holds class folders, so it is read as a folder of class folders, and the scan runs.
    expect(await page.getByRole('radio', { name: 'Folder of class folders' }).isChecked()).toBe(true);
    const ready = page.getByTestId('ready-banner');
    await ready.waitFor();
    // The dog image also filed under birds is a label conflict: left out of both classes until the user picks one.
    const files = 3 * PER_CLASS + 2;
    const total = 3 * PER_CLASS - 1;
    expect(await ready.textContent()).toContain(`3 classes, ${total} images (${files} files checked)`);
    expect(await tableCounts(page)).toEqual({ birds: PER_CLASS, cats: PER_CLASS, dogs: PER_CLASS - 1 });
    expect(await page.getAttribute('#step-tab-base', 'aria-disabled')).toBe('false');
    // Thumbnails from data.thumbnail: three per class, decoded.
    const thumbs = page.getByTestId('class-table').locator('img');
    await expect.poll(() => thumbs.count()).toBe(9);
    await expect
      .poll(() => thumbs.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)))
      .toBe(true);

    // Health: the damaged file is left out, the image in two classes names both.
    const corrupt = page.locator('[data-testid=health-group][data-kind=corrupt]');
    expect(await corrupt.getByTestId('health-count').textContent()).toBe('1');
    await corrupt.locator('summary').click();
    await corrupt.getByTitle(path.join(session.dataRoot, 'cats', 'broken.png')).waitFor();
    expect(await corrupt.textContent()).toMatch(/left out[\s\S]*is truncated or damaged/);
    const conflict = page.locator('[data-testid=health-group][data-kind=label-conflict]');
    await conflict.locator('summary').click();
    expect(await conflict.locator('.chip').allTextContents()).toEqual(['birds', 'dogs']);
    await conflict.getByTitle(path.join(session.dataRoot, 'birds', 'looks-like-a-dog.png')).waitFor();

    // The split: every usable image in exactly one part, per class.
    const splitRows = page.getByTestId('split-row');
    await expect.poll(() => splitRows.count()).toBe(3);
    const parts = await Promise.all(
      ['train', 'validation', 'test'].map(async (part) =>
        Number(await page.getByTestId(`split-total-${part}`).textContent()),
      ),
    );
    expect(parts[0]! + parts[1]! + parts[2]!).toBe(total);
    expect(parts[0]).toBeGreaterThan(parts[1]!);
    expect(parts[1]).toBeGreaterThan(0);

    // The augmentation grid: eight decoded variants of one sample.
    const grid = page.getByTestId('augment-grid').locator('img');
    await expect.poll(() => grid.count()).toBe(8);
    await expect
      .poll(() => grid.evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth === 160)))
      .toBe(true);
    const before = await grid.first().getAttribute('src');
    await page.getByRole('slider', { name: 'Rotation' }).fill('40');
    await expect.poll(() => grid.first().getAttribute('src')).not.toBe(before);

    await page.setViewportSize({ width: 1280, height: 2300 }); // the page scrolls inside the app: show all of it
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(artifacts, 'data-step.png') });

    // One click settles the conflict: the image is kept in dogs only (recorded in the edits, no file moves).
    await conflict.getByRole('button', { name: 'Keep in dogs' }).click();
    await page
      .getByTestId('ready-banner')
      .getByText(`3 classes, ${total + 1} images`)
      .waitFor();
    expect(await tableCounts(page)).toEqual({ birds: PER_CLASS, cats: PER_CLASS, dogs: PER_CLASS });
    expect(await page.locator('[data-testid=health-group][data-kind=label-conflict]').count()).toBe(0);
    const settled = page.locator('[data-testid=health-group][data-kind=resolved-conflict]');
    await settled.locator('summary').click();
    expect(await settled.getByTestId('conflict-pick').textContent()).toContain('Kept in dogs only');
    await settled.getByTitle(path.join(session.dataRoot, 'birds', 'looks-like-a-dog.png')).waitFor();
    await expect
      .poll(async () => {
        const [train, validation, test] = await Promise.all(
          ['train', 'validation', 'test'].map((part) => page.getByTestId(`split-total-${part}`).textContent()),
        );
        return Number(train) + Number(validation) + Number(test);
      })
      .toBe(total + 1);
    await page.mouse.move(0, 0);
    await settled.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'data-step-conflict-kept.png') });
    // Undo: the conflict is open again, the image in neither class.
    await settled.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('ready-banner').getByText(`3 classes, ${total} images`).waitFor();
    await conflict.waitFor();
    expect(await tableCounts(page)).toEqual({ birds: PER_CLASS, cats: PER_CLASS, dogs: PER_CLASS - 1 });

    // Rename inline: the table, the split and the banner follow the rescan.
    await page.getByRole('button', { name: /^cats/ }).click();
    const input = page.getByRole('textbox', { name: 'New name for cats' });
    await input.fill('kittens');
    await input.press('Enter');
    await page.getByTestId('class-name').getByText('kittens', { exact: true }).waitFor();
    await ready.waitFor();
    expect(await tableCounts(page)).toEqual({ birds: PER_CLASS, kittens: PER_CLASS, dogs: PER_CLASS - 1 });
    await page.getByTestId('class-row').filter({ hasText: 'was cats' }).waitFor();
    await splitRows.filter({ hasText: 'kittens' }).waitFor();

    // Leave a class out: still ready with two classes; take it back.
    await page.getByRole('switch', { name: 'Use dogs' }).click();
    await page.getByTestId('ready-banner').getByText('2 classes').waitFor();
    expect(await page.getByRole('switch', { name: 'Use dogs' }).isChecked()).toBe(false);
    await page.getByRole('switch', { name: 'Use dogs' }).click();
    await page.getByTestId('ready-banner').getByText('3 classes').waitFor();

    // Merge two: one class left besides the third.
    await page.getByRole('checkbox', { name: 'Select birds' }).check();
    await page.getByRole('checkbox', { name: 'Select dogs' }).check();
    await page.getByRole('textbox', { name: 'Name of the merged class' }).fill('animals');
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByTestId('ready-banner').getByText('2 classes').waitFor();
    // The copy of a dog is now a duplicate within one class, no longer a conflict: counted once, and used.
    expect(await tableCounts(page)).toEqual({ animals: 2 * PER_CLASS, kittens: PER_CLASS });
    expect(problems).toEqual([]);
  });
});
