import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { artifacts, chooseRoot, repo, useE2eSession } from './helpers';

// Real, trainable class folders: the Data step unlocks Base only when the scan can train.
const session = useE2eSession({
  dataPrefix: 'ts-e2e-',
  classes: ['cats', 'dogs', 'birds'],
  prepare: (dataRoot) => writeFileSync(path.join(dataRoot, 'labels.txt'), 'cats\ndogs\nbirds\n'),
});
let expectedBackend: string;

async function backendName(page: Page): Promise<string> {
  const badge = page.getByTestId('backend-name');
  await badge.waitFor();
  return (await badge.textContent())?.trim() ?? '';
}

/** The HTTP status of a WebSocket upgrade: 101 when it opened, else the refusal's status. */
function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Origin: origin } });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => {
      // ws reports a refused upgrade it could not parse as an error; anything else is a real failure.
      if (/Unexpected server response: (\d+)/.test(error.message)) resolve(Number(RegExp.$1));
      else reject(error);
    });
  });
}

beforeAll(async () => {
  expectedBackend = (await session.server.engine.call('info', {})).backend.name;
});

describe('transfer-studio serve in Chromium', () => {
  it('shows the backend the engine reports, with no page error or CSP violation', async () => {
    const { page, problems } = await session.openPage();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(expectedBackend);
    expect(await backendName(page)).toBe(expectedBackend);

    await page.getByTestId('backend-badge').click();
    const details = page.getByRole('dialog', { name: 'Engine details' });
    await details.waitFor();
    const text = (await details.textContent()) ?? '';
    expect(text).toContain('ONNX Runtime');
    expect(text).toContain(`Training runs on ${expectedBackend}`);
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });

    await page.screenshot({ path: path.join(artifacts, 'app-shell.png') });
    expect(problems).toEqual([]);
  });

  it('refuses HTTP requests without the token', async () => {
    const bare = await fetch(`http://127.0.0.1:${session.server.port}/`);
    expect(bare.status).toBe(403);
    const wrong = await fetch(`http://127.0.0.1:${session.server.port}/?token=not-the-token`);
    expect(wrong.status).toBe(403);
    const right = await fetch(session.server.url);
    expect(right.status).toBe(200);
    expect(right.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses WebSockets from another origin or without the token', async () => {
    const ws = `ws://127.0.0.1:${session.server.port}/ws`;
    const ownOrigin = `http://127.0.0.1:${session.server.port}`;
    expect(await upgradeStatus(`${ws}?token=${session.server.token}`, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(ws, ownOrigin)).toBe(403);
    expect(await upgradeStatus(`${ws}?token=${session.server.token}`, ownOrigin)).toBe(101);
  });

  it("lists the root's sub-folders in the folder browser and adds the chosen folder", async () => {
    const { page, problems } = await session.openPage();
    await page.getByRole('button', { name: 'Browse folders…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose an image folder' });
    await dialog.waitFor();
    const list = page.getByTestId('subfolders');
    await list.getByText('cats').waitFor();
    expect(await list.getByRole('listitem').allTextContents()).toEqual(
      ['birds', 'cats', 'dogs'].map((n) => expect.stringContaining(n)),
    );
    expect(await dialog.getByText('3 folders, 1 file').count()).toBe(1);

    // Into a sub-folder and back up by the breadcrumb.
    await list.getByRole('button', { name: 'dogs' }).click();
    await dialog.getByText('No sub-folders here.').waitFor();
    await dialog.getByRole('button', { name: path.basename(session.dataRoot) }).click();
    await list.getByText('birds').waitFor();

    await dialog.getByRole('button', { name: 'Use this folder' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('chosen-folders').textContent()).toContain(session.dataRoot);
    expect(problems).toEqual([]);
  });

  it('moves through reachable steps with the keyboard only', async () => {
    const { page } = await session.openPage();
    await backendName(page);
    const selected = () => page.getAttribute('[role=tab][aria-selected=true]', 'id');
    const focused = () => page.evaluate(() => document.activeElement?.id);

    await page.focus('#step-tab-data');
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe('step-tab-data');
    expect(await page.getAttribute('#step-tab-base', 'aria-disabled')).toBe('true');

    await chooseRoot(page);
    // The Data step scans the chosen folder; Base unlocks once the scan says it can train.
    await page.waitForSelector('#step-tab-base[aria-disabled=false]');
    await page.focus('#step-tab-data');
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe('step-tab-base');
    expect(await focused()).toBe('step-tab-base');
    expect(await page.locator('#step-title').textContent()).toBe('Base');

    await page.keyboard.press('ArrowDown'); // Head is locked: stay on Base.
    expect(await selected()).toBe('step-tab-base');
    await page.keyboard.press('Home');
    expect(await selected()).toBe('step-tab-data');
    expect(await focused()).toBe('step-tab-data');
    await page.keyboard.press('End');
    expect(await selected()).toBe('step-tab-base');
    await page.keyboard.press('ArrowUp');
    expect(await selected()).toBe('step-tab-data');
    expect(await page.locator('#step-title').textContent()).toBe('Data');
    // Tab leaves the rail for the step's page (one tab stop for the whole rail).
    await page.keyboard.press('Tab');
    expect(await focused()).not.toMatch(/^step-tab-/);
  });

  it('shows a banner when the engine crashes, and Restart brings the backend back', async () => {
    const { page } = await session.openPage();
    expect(await backendName(page)).toBe(expectedBackend);
    const before = (await session.server.engine.call('info', {})).pid;

    // The engine may answer before it exits, or die first: either way the host reports the crash.
    await session.server.engine.call('system.crash', { exitCode: 3 }).catch(() => undefined);
    const banner = page.getByTestId('engine-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('exit code 3');
    await page.getByTestId('backend-name').waitFor({ state: 'detached' });
    expect(await page.getByTestId('backend-badge').textContent()).toContain('Engine stopped');
    await page.screenshot({ path: path.join(artifacts, 'engine-crashed.png') });

    await banner.getByRole('button', { name: 'Restart engine' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(await backendName(page)).toBe(expectedBackend);
    const after = (await session.server.engine.call('info', {})).pid;
    expect(after).not.toBe(before);
  });

  it('serves the real CLI: `transfer-studio serve --port 0 --root <dir>`', async () => {
    const cli = spawn(
      process.execPath,
      [path.join(repo, 'bin', 'transfer-studio.js'), 'serve', '--port', '0', '--root', session.dataRoot],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    cli.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)));
        createInterface({ input: cli.stdout }).on('line', (line) => {
          if (line.startsWith('http://127.0.0.1:')) resolve(line.trim());
        });
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      const { page, problems } = await session.openPage(url);
      expect(await backendName(page)).toBe(expectedBackend);
      expect(problems).toEqual([]);
    } finally {
      cli.kill('SIGTERM');
      await exited;
    }
  });
});
