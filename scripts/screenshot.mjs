#!/usr/bin/env node
// Takes the README screenshot (docs/screenshot.png, 1280x800): runs the real `serve` command on
// a temporary folder of example class folders, opens it in Chromium, picks the folder, and shoots.
// Usage: node scripts/build.mjs && node scripts/screenshot.mjs [--out file.png] [--dark] [--popover] [--dialog]
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'docs', 'screenshot.png'));

// A fixed name so the picture shows a readable path.
const data = path.join(os.tmpdir(), 'transfer-studio-demo');
rmSync(data, { recursive: true, force: true });
for (const name of ['cats', 'dogs', 'birds']) mkdirSync(path.join(data, 'pets', name), { recursive: true });

const server = spawn(process.execPath, [path.join(root, 'bin', 'transfer-studio.js'), 'serve', '--port', '0', '--root', data], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
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
  await page.getByRole('button', { name: 'Browse folders…' }).click();
  await page.getByRole('button', { name: 'pets' }).click();
  await page.getByTestId('subfolders').getByText('birds').waitFor();
  if (!args.includes('--dialog')) {
    await page.getByRole('button', { name: 'Use this folder' }).click();
    await page.getByTestId('chosen-folders').waitFor();
  }
  if (args.includes('--popover')) await page.getByTestId('backend-badge').click();
  await page.mouse.move(0, 799);
  mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}
