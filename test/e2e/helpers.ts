/**
 * Shared pieces of the Chromium e2e tests: the Chromium launch, a page that records page errors and
 * console errors, and the folder-browser steps. (serve.test.ts predates this file and keeps its own copies.)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = path.join(repo, 'test-artifacts', 'e2e');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Throws in words when out/ is not built or Chromium is missing. */
export function assertPrerequisites(): void {
  if (!existsSync(path.join(repo, 'out', 'engine', 'entry.js')) || !existsSync(path.join(repo, 'out', 'renderer', 'index.html'))) {
    throw new Error('out/ is not built: run `node scripts/build.mjs` first (`npm test` does).');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM).`);
}

/** Headless Debian Chromium with background traffic off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh page at `url` (1280×800), collecting page errors and console errors into `problems`. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

/** Opens the folder browser and uses the server's (only) root, which must hold a `cats` folder. */
export async function chooseRoot(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Browse folders…' }).click();
  await page.getByTestId('subfolders').getByText('cats').waitFor();
  await page.getByRole('button', { name: 'Use this folder' }).click();
  await page.getByTestId('chosen-folders').waitFor();
}
