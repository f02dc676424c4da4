#!/usr/bin/env node
// Takes the README screenshot (docs/screenshot.png, 1280x800): generates three classes of images
// in a temporary root, runs the real `serve` command on it, and drives the app in Chromium through
// a new project, Data, Base (the bundled MobileNetV2), Head (the default) and a short real training
// run, then shoots the Train step with its live curves.
// Usage: node scripts/build.mjs && node scripts/screenshot.mjs [--out file.png] [--dark] [--step head]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const out = path.resolve(option('--out', path.join(root, 'docs', 'screenshot.png')));
const stopAt = option('--step', 'train');
const PER_CLASS = 24;
const EPOCHS = 8;

/** A 64×64 PNG a model can tell apart by class, varied by `index`. */
async function png(file, cls, index) {
  const size = 64;
  const shade = (index * 7) % 40;
  const shapes = {
    stripes: {
      background: { r: 200 + shade, g: 50, b: 45 },
      mark: { width: size, height: 7, colour: { r: 255, g: 225, b: 205 } },
      at: (i) => [0, (i * 9) % 56],
    },
    squares: {
      background: { r: 35, g: 70 + shade, b: 205 },
      mark: { width: 20, height: 20, colour: { r: 230, g: 240, b: 255 } },
      at: (i) => [(i * 11) % 44, (i * 7) % 44],
    },
    dots: {
      background: { r: 40, g: 150 + shade, b: 80 },
      mark: { width: 10, height: 10, colour: { r: 250, g: 245, b: 200 } },
      at: (i) => [(i * 13) % 54, (i * 5) % 54],
    },
  };
  // Every third image borrows another class's colour, so the shape has to be learned too.
  const names = Object.keys(shapes);
  const { mark, at } = shapes[cls];
  const { background } = index % 3 === 0 ? shapes[names[(names.indexOf(cls) + 1 + (index % 2)) % 3]] : shapes[cls];
  const piece = await sharp({
    create: { width: mark.width, height: mark.height, channels: 3, background: mark.colour },
  })
    .png()
    .toBuffer();
  const marks = [0, 1, 2].map((k) => {
    const [left, top] = at(index + k * 3);
    return { input: piece, left, top };
  });
  await sharp({ create: { width: size, height: size, channels: 3, background } })
    .composite(marks)
    .png()
    .toFile(file);
}

// A fixed folder name so the picture shows a readable path.
const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'transfer-studio-demo-')));
const data = path.join(base, 'shapes');
for (const cls of ['stripes', 'squares', 'dots']) {
  mkdirSync(path.join(data, cls), { recursive: true });
  for (let i = 0; i < PER_CLASS; i++)
    await png(path.join(data, cls, `${cls}-${String(i).padStart(2, '0')}.png`), cls, i);
}
mkdirSync(path.join(base, 'projects'));

// Recent projects, caches and bases go to the temporary folder, never the user's.
const env = {
  ...process.env,
  TRANSFER_STUDIO_CONFIG_DIR: path.join(base, '.home', 'config'),
  TRANSFER_STUDIO_CACHE: path.join(base, '.home', 'studio-cache'),
  TRANSFER_STUDIO_DATA: path.join(base, '.home', 'studio-data'),
  XDG_CACHE_HOME: path.join(base, '.home', 'cache'),
  XDG_DATA_HOME: path.join(base, '.home', 'data'),
};
const server = spawn(
  process.execPath,
  [path.join(root, 'bin', 'transfer-studio.js'), 'serve', '--port', '0', '--root', base],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  },
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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

/** Chooses the sub-folder `folder` of the root in the open folder browser titled `title`. */
async function pick(page, title, folder) {
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.getByTestId('subfolders').getByText(folder, { exact: true }).click();
  await dialog.locator('[aria-current=location]', { hasText: folder }).waitFor();
  await dialog.getByRole('button', { name: 'Use this folder' }).click();
}

try {
  const url = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`serve exited with code ${code}`)));
    createInterface({ input: server.stdout }).on('line', (line) => {
      if (line.startsWith('http://127.0.0.1:')) resolve(line.trim());
    });
  });
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    colorScheme: args.includes('--dark') ? 'dark' : 'light',
  });
  await page.goto(url);
  await page.getByTestId('backend-name').waitFor();

  // A project named "Shapes" in <root>/projects.
  await page.getByRole('button', { name: 'No project' }).click();
  await page.getByRole('menuitem', { name: 'New project…' }).click();
  const create = page.getByRole('dialog', { name: 'New project' });
  await create.getByRole('textbox', { name: 'Name' }).fill('Shapes');
  await create.getByRole('button', { name: 'Choose…' }).click();
  await pick(page, 'Where to put the project', 'projects');
  await create.getByRole('button', { name: 'Create project' }).click();
  await page.getByTestId('project-name').getByText('Shapes').waitFor();

  // Data → Base → Head.
  await page.getByRole('button', { name: 'Browse folders…' }).click();
  await pick(page, 'Choose an image folder', 'shapes');
  const next = page.getByRole('button', { name: 'Next: choose a base' });
  await next.waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=split-table].stale').waitFor({ state: 'detached' });
  await next.click();
  await page.getByTestId('base-card-nsfwjs-mobilenet-v2').locator('label').click();
  await page.getByRole('button', { name: 'Next: design the head' }).click();
  await page.getByTestId('model-summary').waitFor({ timeout: 60_000 });

  if (stopAt === 'train') {
    await page.getByRole('button', { name: 'Next: train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill(String(EPOCHS));
    await page.getByRole('spinbutton', { name: 'Batch size' }).fill('8');
    await page.getByRole('button', { name: 'Start training' }).click();
    const result = page.getByTestId('train-result');
    const failure = page.locator('section.run [role=alert]').filter({ hasNotText: /^$/ });
    await result.or(failure).first().waitFor({ timeout: 300_000 });
    if (!(await result.isVisible())) throw new Error(`Training did not finish: ${await failure.first().textContent()}`);
    await page.getByTestId('project-status').getByText('Saved').waitFor();
    // Show the run: its curves and result, with the accuracy chart's tooltip.
    await page.locator('section.run').evaluate((section) => {
      section.scrollIntoView({ block: 'start' });
      section.ownerDocument.defaultView?.scrollTo(0, 0); // only the step's own scroll area moves
    });
    const chart = page.getByTestId('train-curves').getByTestId('chart-svg').nth(1);
    const box = await chart.boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.45);
  } else {
    await page.mouse.move(0, 799);
  }
  await page.waitForTimeout(300); // let the tooltip and transitions settle
  mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(base, { recursive: true, force: true });
}
