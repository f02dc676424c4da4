/**
 * Shared pieces of the Chromium e2e tests: the Chromium launch, a page that records page errors and
 * console errors, the folder-browser steps, and {@link useE2eSession}, the set-up every e2e file shares
 * (a temp data root, a throw-away cache/config/data home, the server, Chromium, page bookkeeping, teardown).
 */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type StudioServer } from '../../main/server/server';
import { writeClassImages } from './class-images';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = path.join(repo, 'test-artifacts', 'e2e');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Throws in words when out/ is not built or Chromium is missing. */
export function assertPrerequisites(): void {
  if (
    !existsSync(path.join(repo, 'out', 'engine', 'entry.js')) ||
    !existsSync(path.join(repo, 'out', 'renderer', 'index.html'))
  ) {
    throw new Error('out/ is not built: run `node scripts/build.mjs` first (`npm test` does).');
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM).`);
}

/** Headless Debian Chromium with background traffic off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
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

/** Options of {@link useE2eSession}. */
export interface E2eSessionOptions {
  /** Prefix of the temp data root (and of the throw-away home beside it), e.g. `'ts-e2e-data-'`. */
  dataPrefix: string;
  /** Class folders written into the data root with `writeClassImages` before `prepare`. Default: none. */
  classes?: readonly string[];
  /** Images per class in `classes`. Default: 2. */
  perClass?: number;
  /** Further set-up of the data root (extra files, sub-folders), run before the server starts. Default: none. */
  prepare?: (dataRoot: string) => void | Promise<void>;
}

/** The running server and browser of one e2e file, valid from its `beforeAll` on. */
export interface E2eSession {
  readonly server: StudioServer;
  readonly browser: Browser;
  /** The temp folder the server offers as its only root (real path). */
  readonly dataRoot: string;
  /** A fresh page at `url` (see {@link openPage}), closed after the current test. Default url: the server's tokened URL. */
  openPage(url?: string): Promise<{ page: Page; problems: string[] }>;
}

/**
 * Registers the shared e2e hooks: `beforeAll` makes the data root, points the app's cache, config and data folders
 * (TRANSFER_STUDIO_CACHE, TRANSFER_STUDIO_CONFIG_DIR, TRANSFER_STUDIO_DATA, XDG_CACHE_HOME, XDG_DATA_HOME) at a
 * throw-away home so no test writes to the user's, starts the server on that root and launches Chromium; `afterEach`
 * closes the test's pages; `afterAll` closes browser and server, restores the environment and removes both temp
 * folders.
 */
export function useE2eSession(options: E2eSessionOptions): E2eSession {
  let server: StudioServer | undefined;
  let browser: Browser | undefined;
  let dataRoot = '';
  let home = '';
  const saved: Record<string, string | undefined> = {};
  const pages: Page[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`The e2e session has no ${what} yet: use it inside a test or a later hook.`);
    return value;
  };

  beforeAll(async () => {
    assertPrerequisites();
    dataRoot = realpathSync(mkdtempSync(path.join(os.tmpdir(), options.dataPrefix)));
    if (options.classes) await writeClassImages(dataRoot, options.classes, options.perClass ?? 2);
    await options.prepare?.(dataRoot);
    // Recent projects, scan records, thumbnails, downloads and runs go to throw-away folders, never the user's.
    home = realpathSync(mkdtempSync(path.join(os.tmpdir(), `${options.dataPrefix}home-`)));
    for (const [name, value] of Object.entries({
      TRANSFER_STUDIO_CACHE: path.join(home, 'studio-cache'),
      TRANSFER_STUDIO_CONFIG_DIR: path.join(home, 'config'),
      TRANSFER_STUDIO_DATA: path.join(home, 'studio-data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_DATA_HOME: path.join(home, 'data'),
    })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    mkdirSync(artifacts, { recursive: true });
    server = await startServer({ port: 0, roots: [dataRoot] });
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const dir of [dataRoot, home]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get dataRoot() {
      return started(dataRoot || undefined, 'data root');
    },
    async openPage(url?: string) {
      const opened = await openPage(started(browser, 'browser'), url ?? started(server, 'server').url);
      pages.push(opened.page);
      return opened;
    },
  };
}
