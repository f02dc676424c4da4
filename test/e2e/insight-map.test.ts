/**
 * Dataset insight in Chromium through `serve`: a project of Fashion-MNIST trousers and bags whose "trousers" folder
 * holds one bag and whose bags include a smaller copy of one. Inspect runs the real job (bundled MobileNetV2
 * features, out-of-fold models, near-duplicates, UMAP); the map draws, hover shows the image, click opens it, a
 * lasso leaves three images out and one Undo brings all three back, the findings list names the flipped image
 * (trousers → bags) and shows the copy beside its original, a finding kept as it is is saved in project.json and
 * still kept after a reload, the result comes back after a reload, and changing the data shows the stale notice.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { InsightResult } from '../../shared/contract/insight';
import { pointInPolygon } from '../../renderer/src/lib/map/lasso';
import { boundsOf, fitView, toScreen, type Point } from '../../renderer/src/lib/map/view-transform';
import { fashionMnistFolders } from '../fixtures/fashion-mnist';
import { artifacts, useE2eSession } from './helpers';
import { newProjectWithData } from './wizard';

const PER_CLASS = 14;
const FLIPPED = 'flipped-bag.png';
const COPY = 'bag-copy.jpg';

/** Fashion-MNIST trousers and bags (real pictures, 64 px); one bag filed under trousers, one bag copied smaller. */
const session = useE2eSession({
  dataPrefix: 'ts-e2e-insight-',
  prepare: async (root) => {
    const source = await fashionMnistFolders({ perClass: PER_CLASS + 1, classes: ['Trouser', 'Bag'], size: 64 });
    for (const [from, to] of [
      ['Trouser', 'trousers'],
      ['Bag', 'bags'],
    ] as const) {
      mkdirSync(path.join(root, 'data', to), { recursive: true });
      const files = readdirSync(path.join(source, from))
        .filter((name) => name.endsWith('.png'))
        .sort();
      for (const name of files.slice(0, PER_CLASS))
        copyFileSync(path.join(source, from, name), path.join(root, 'data', to, name));
      if (from === 'Bag') {
        // The last bag filed under trousers: the finder should suggest bags.
        copyFileSync(path.join(source, from, files[PER_CLASS]!), path.join(root, 'data', 'trousers', FLIPPED));
        // A smaller, recompressed copy of a bag: a near-duplicate (or a leak, if the split parts them).
        await sharp(path.join(source, from, files[3]!))
          .resize(56, 56)
          .jpeg({ quality: 80 })
          .toFile(path.join(root, 'data', 'bags', COPY));
        original = files[3]!;
      }
    }
    mkdirSync(path.join(root, 'projects'), { recursive: true });
  },
});
let original = '';

async function tableCounts(page: Page): Promise<Record<string, number>> {
  const rows = page.getByTestId('class-row');
  const names = await rows.getByTestId('class-name').allTextContents();
  const counts = await rows.getByTestId('class-count').allTextContents();
  return Object.fromEntries(names.map((name, i) => [name.trim(), Number(counts[i]!.replace(/,/g, ''))]));
}

/** Where each image of the result is drawn on the page: the canvas fits every point with the same view. */
async function screenPoints(page: Page, result: InsightResult): Promise<Point[]> {
  const box = (await page.getByTestId('embedding-map-canvas').boundingBox())!;
  const { x, y } = result.map!;
  const view = fitView(boundsOf(x, y), box.width, box.height);
  return x.map((_, i) => {
    const p = toScreen(view, x[i]!, y[i]!);
    return { x: box.x + p.x, y: box.y + p.y };
  });
}

/** A triangle (page pixels) around a point and its two nearest neighbours that holds no other point. */
function lassoOfThree(points: readonly Point[]): { polygon: Point[]; inside: number[] } {
  for (let i = 0; i < points.length; i++) {
    const near = points
      .map((p, j) => ({ j, d: Math.hypot(p.x - points[i]!.x, p.y - points[i]!.y) }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d)
      .slice(0, 2)
      .map(({ j }) => j);
    const chosen = [i, ...near];
    const cx = chosen.reduce((s, k) => s + points[k]!.x, 0) / 3;
    const cy = chosen.reduce((s, k) => s + points[k]!.y, 0) / 3;
    const polygon = chosen.map((k) => {
      const dx = points[k]!.x - cx;
      const dy = points[k]!.y - cy;
      const len = Math.hypot(dx, dy) || 1;
      return { x: points[k]!.x + (dx / len) * 9, y: points[k]!.y + (dy / len) * 9 };
    });
    const inside = points.map((_, k) => k).filter((k) => pointInPolygon(points[k]!.x, points[k]!.y, polygon));
    const area = Math.abs(
      (polygon[1]!.x - polygon[0]!.x) * (polygon[2]!.y - polygon[0]!.y) -
        (polygon[2]!.x - polygon[0]!.x) * (polygon[1]!.y - polygon[0]!.y),
    );
    if (inside.length === 3 && area > 200) return { polygon, inside: inside.sort((a, b) => a - b) };
  }
  throw new Error(`No lasso around exactly three of the ${points.length} points was found.`);
}

/** Drags the mouse along the polygon's edges (closed), in small steps, as a user draws a lasso. */
async function drawLasso(page: Page, polygon: readonly Point[], beforeRelease: () => Promise<unknown>): Promise<void> {
  await page.mouse.move(polygon[0]!.x, polygon[0]!.y);
  await page.mouse.down();
  for (const corner of [...polygon.slice(1), polygon[0]!]) await page.mouse.move(corner.x, corner.y, { steps: 8 });
  await beforeRelease();
  await page.mouse.up();
}

/** Pixels of the canvas that differ from its top-left (background) pixel. */
function paintedPixels(page: Page): Promise<number> {
  return page.getByTestId('embedding-map-canvas').evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) painted++;
    }
    return painted;
  });
}

describe('dataset insight in Chromium', () => {
  it('inspects, maps, lassoes three images out and back, lists the flipped image and the copy, and goes stale', async () => {
    const { page, problems } = await session.openPage();

    // The app scrolls inside its main area: a taller window shows a whole panel per screenshot.
    await page.setViewportSize({ width: 1280, height: 1000 });
    const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `insight-${name}.png`) });

    await newProjectWithData(page, 'Colours');
    const before = await tableCounts(page);
    expect(before).toEqual({ bags: PER_CLASS + 1, trousers: PER_CLASS + 1 });

    // Inspect: progress while it runs, then the findings and the map.
    await page.getByRole('button', { name: 'Inspect dataset' }).click();
    await page.getByTestId('insight-progress').waitFor();
    await shot('progress');
    const map = page.getByTestId('embedding-map');
    await map.waitFor({ timeout: 240_000 });
    const projects = path.join(session.dataRoot, 'projects');
    const insightFile = path.join(projects, readdirSync(projects)[0]!, 'insight.json');
    const result = JSON.parse(readFileSync(insightFile, 'utf8')) as InsightResult;
    expect(result.images).toHaveLength(2 * PER_CLASS + 2);
    expect(result.map!.x).toHaveLength(result.images.length);

    // The map is drawn: many pixels differ from the background.
    await map.scrollIntoViewIfNeeded();
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(500);
    await shot('map');

    // The findings list: the red picture filed under blue is a possible mislabel, blue → red.
    const mislabels = page.locator('[data-testid=finding-group][data-kind=mislabel]');
    const flipped = mislabels.getByTestId('finding-item').filter({ hasText: FLIPPED });
    await flipped.waitFor();
    expect((await flipped.getByTestId('finding-labels').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      'trousers → bags',
    );
    await mislabels.scrollIntoViewIfNeeded();
    await shot('list');

    // The copy and its original side by side, with the fix that leaves one out.
    const copies = page
      .locator('[data-testid=finding-group][data-kind=near-duplicate], [data-testid=finding-group][data-kind=leakage]')
      .getByTestId('finding-item')
      .filter({ hasText: COPY });
    await copies.locator('xpath=ancestor::details').first().locator('summary').click();
    await copies.waitFor();
    expect(await copies.locator('figure').count()).toBe(2);
    expect(await copies.textContent()).toContain(original);
    await copies.scrollIntoViewIfNeeded();
    await shot('list-copies');

    // Hover over the flipped image's dot: its thumbnail, path, class and finding.
    const flippedIndex = result.images.findIndex((image) => image.path.endsWith(FLIPPED));
    await map.scrollIntoViewIfNeeded();
    let points = await screenPoints(page, result);
    await page.mouse.move(points[flippedIndex]!.x, points[flippedIndex]!.y);
    const tip = page.getByTestId('map-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toContain(FLIPPED);
    await expect
      .poll(() => tip.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    await shot('hover');

    // Click opens it.
    await page.mouse.click(points[flippedIndex]!.x, points[flippedIndex]!.y);
    const detail = page.getByTestId('map-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain(FLIPPED);
    await detail.scrollIntoViewIfNeeded();
    await shot('open');
    await detail.getByRole('button', { name: 'Close' }).click();

    // Lasso three images: "Leave out 3" is one step, the class counts drop by three; one Undo restores all.
    await map.getByRole('radio', { name: 'Lasso' }).click();
    points = await screenPoints(page, result);
    const { polygon, inside } = lassoOfThree(points);
    await drawLasso(page, polygon, () => shot('lasso-drawing'));
    const selection = page.getByTestId('map-selection');
    await selection.getByText('3 images selected').waitFor();
    await shot('lasso');
    await selection.getByRole('button', { name: 'Leave out 3' }).click();
    await selection.getByTestId('map-last-step').getByText('Left out 3 images.').waitFor();
    const removed: Record<string, number> = { bags: 0, trousers: 0 };
    for (const i of inside) removed[result.images[i]!.label]!++;
    const after = { bags: before.bags! - removed.bags!, trousers: before.trousers! - removed.trousers! };
    await expect.poll(() => tableCounts(page), { timeout: 30_000 }).toEqual(after);
    await shot('left-out');
    await selection.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => tableCounts(page), { timeout: 30_000 }).toEqual(before);

    // "Keep" on the flipped image's finding: saved in project.json under an id made of its content hash.
    await flipped.getByRole('button', { name: 'Keep' }).click();
    await flipped.getByText('Kept as it is.').waitFor();
    const projectFile = path.join(projects, readdirSync(projects)[0]!, 'project.json');
    const keptId = `mislabel:${result.images[flippedIndex]!.hash}`;
    const keptOnDisk = () => (JSON.parse(readFileSync(projectFile, 'utf8')) as { insightKept?: string[] }).insightKept;
    await expect.poll(keptOnDisk, { timeout: 30_000 }).toEqual([keptId]);

    // The result is the project's: once the undo is saved, a reload reads it back (insight.read), current.
    await expect.poll(() => page.getByTestId('project-status').textContent(), { timeout: 60_000 }).toContain('Saved');
    await page.reload();
    await map.waitFor({ timeout: 60_000 });
    await expect.poll(() => paintedPixels(page)).toBeGreaterThan(500);
    expect(await page.getByTestId('insight-stale').count()).toBe(0);
    // The kept finding is still kept after the reload.
    await flipped.getByText('Kept as it is.').waitFor();
    expect(await flipped.getAttribute('data-state')).toBe('kept');
    await flipped.scrollIntoViewIfNeeded();
    await shot('kept-reloaded');

    // Changing the data (a class left out) makes the findings stale; taking it back makes them current again.
    await page.getByRole('switch', { name: 'Use bags' }).uncheck();
    const stale = page.getByTestId('insight-stale');
    await stale.waitFor();
    await page.getByTestId('dataset-warning').first().waitFor();
    await page.getByTestId('health-report').scrollIntoViewIfNeeded();
    await shot('stale');
    await page.getByRole('switch', { name: 'Use bags' }).check();
    await stale.waitFor({ state: 'detached' });

    // The map follows the theme: on a dark scheme the canvas background is dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await map.scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        page.getByTestId('embedding-map-canvas').evaluate((canvas) => {
          const [r, g, b] = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(2, 2, 1, 1).data;
          return r! + g! + b!;
        }),
      )
      .toBeLessThan(200);
    await shot('map-dark');

    expect(problems).toEqual([]);
  });
});
