/**
 * Issue 12 #5: Ctrl-C in a terminal. The CLI runs in a real pseudo-terminal (util-linux `script`); a ^C
 * typed into it makes the terminal send SIGINT to the whole foreground process group — the CLI and its
 * engine — exactly as a user's Ctrl-C does. `train` must cancel like the Cancel button (status cancelled,
 * best weights kept, the message names `train --resume <dir>`); `scan` must give the terminal back
 * (cursor shown, line wrap on).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';

interface PtyRun {
  output: string;
  code: number | null;
}

/** Runs the CLI in a pty; types ^C once `when(output)` holds (and again `again` ms later, if given). */
function inPty(args: string[], when: (output: string) => boolean, again?: number): Promise<PtyRun> {
  const command = [process.execPath, 'bin/transfer-studio.js', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm', COLUMNS: '120', LINES: '40' },
  });
  let output = '';
  let sent = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (!sent && when(output)) {
      sent = true;
      child.stdin.write('\x03');
      if (again !== undefined) setTimeout(() => child.stdin.write('\x03'), again);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ output, code })));
}

describe('Ctrl-C in a terminal', () => {
  let tmp = '';
  let data = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ctrl-c-'));
    data = await fashionMnistFolders({ perClass: 20, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 400 });
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('during train cancels the run like the Cancel button and names train --resume', async () => {
    const runDir = path.join(tmp, 'run');
    const args = [
      'train',
      data,
      '--out',
      runDir,
      '--cache',
      path.join(tmp, 'cache'),
      '--epochs',
      '200',
      '--patience',
      '0',
    ];
    args.push('--batch-size', '4');
    const result = await inPty(args, (output) => /epoch [3-9]\d*\/200/.test(output));
    expect(result.output).toMatch(/Cancelling/);
    expect(result.output).toMatch(
      new RegExp(`training was cancelled.*resume with: transfer-studio train --resume ${runDir}`),
    );
    expect(result.output).not.toMatch(/stopped unexpectedly|training\.resume/);
    expect(result.code).toBe(130);
    const state = await readRunState(runDir);
    expect(state.status).toBe('cancelled');
    expect(state.history.length).toBeGreaterThanOrEqual(2);
    expect(state.best).toBeDefined();
    expect(state.durationMs).toBeGreaterThan(0);
    // The terminal is given back: the bar showed the cursor again and turned line wrap back on.
    expect(result.output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(result.output.lastIndexOf('\x1b[?25l'));
  }, 300_000);

  it('twice during train quits at once; the run can still be resumed', async () => {
    const runDir = path.join(tmp, 'run2');
    const args = [
      'train',
      data,
      '--out',
      runDir,
      '--cache',
      path.join(tmp, 'cache2'), // fresh: features are extracted (slow batches), so the cancel is still under way
      '--epochs',
      '200',
      '--patience',
      '0',
    ];
    const result = await inPty(args, (output) => /extract\s+\|/.test(output), 20);
    expect(result.code).toBe(130);
    expect(result.output).toMatch(/interrupted/);
    expect(result.output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(result.output.lastIndexOf('\x1b[?25l'));
    const state = await readRunState(runDir);
    expect(['running', 'cancelled']).toContain(state.status);
    // Every epoch's run.json write records the time so far (a resume after a kill adds to it).
  }, 300_000);

  it('during scan restores the terminal: cursor shown, line wrap on', { timeout: 120_000 }, async () => {
    // Enough files that the scan is still running when Ctrl-C comes.
    const many = path.join(tmp, 'many');
    for (let i = 0; i < 40; i++) await cp(data, path.join(many, `copy-${i}`), { recursive: true });
    const result = await inPty(['scan', many, '--cache-dir', path.join(tmp, 'scan-cache')], (output) =>
      output.includes('Scanning'),
    );
    expect(result.code).toBe(130);
    expect(result.output).toMatch(/cancelled/i);
    expect(result.output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(result.output.lastIndexOf('\x1b[?25l'));
    expect(result.output.lastIndexOf('\x1b[?7h')).toBeGreaterThan(result.output.lastIndexOf('\x1b[?7l'));
  });
});
