/**
 * Every failing command prints one line saying why on stderr and exits non-zero (issue 12 #3: `train`
 * with no folder used to exit 1 silently). Runs the built CLI (out/) with missing and wrong arguments.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/transfer-studio.js', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('every failing CLI command says why', () => {
  let tmp = '';
  let file = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-failures-'));
    file = path.join(tmp, 'a-file.txt');
    await writeFile(file, 'not a folder');
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  const missing = path.join(os.tmpdir(), 'transfer-studio-no-such-folder');
  const cases: [string, () => string[], RegExp][] = [
    ['train with no folder', () => ['train'], /give at least one image folder/],
    ['train --json with no folder', () => ['train', '--json'], /give at least one image folder/],
    ['train on a missing folder', () => ['train', missing], /no-such-folder/],
    ['train --resume of a missing run', () => ['train', '--resume', missing], /No run found/],
    ['train --project of a missing project', () => ['train', '--project', missing], /No project/],
    ['train --epochs abc', () => ['train', '.', '--epochs', 'abc'], /received "abc"/],
    ['scan with no folder', () => ['scan'], /missing required argument/],
    ['scan --min-side 0', () => ['scan', '.', '--min-side', '0'], /received "0"/],
    ['features with no options', () => ['features', '.'], /--base/],
    ['features with no --out', () => ['features', '.', '--base', 'x'], /--out/],
    [
      'features on a missing folder',
      () => ['features', missing, '--base', 'nsfwjs-mobilenet-v2', '--out', path.join(tmp, 'f.npy')],
      /no-such-folder/,
    ],
    ['summary with no --base', () => ['summary'], /--base/],
    ['summary with a bad head', () => ['summary', '--base', 'x', '--classes', '2', '--head', 'dense:abc:relu'], /abc/],
    ['bases with an argument', () => ['bases', 'bogus'], /too many arguments/],
    ['project with no sub-command', () => ['project'], /no command given/],
    ['project create with no folder', () => ['project', 'create'], /missing required argument/],
    ['project show of a missing project', () => ['project', 'show', missing], /No project/],
    ['project create on a file', () => ['project', 'create', file], /a-file\.txt/],
    ['info --bogus', () => ['info', '--bogus'], /unknown option/],
    ['serve --port abc', () => ['serve', '--port', 'abc'], /received "abc"/],
    ['an unknown command', () => ['nosuch'], /unknown command/],
    ['no command at all', () => [], /no command given/],
  ];

  it.each(cases)('%s', async (_name, args, reason) => {
    const outcome = await cli(args());
    expect(outcome.code, outcome.stderr).not.toBe(0);
    const lines = outcome.stderr.trim().split('\n');
    const reasonLine = lines.find((line) => /^(transfer-studio: |error: )/.test(line));
    expect(reasonLine, outcome.stderr).toBeDefined();
    expect(reasonLine!.replace(/^(transfer-studio: |error: )/, '').trim().length).toBeGreaterThan(5);
    expect(outcome.stderr).toMatch(reason);
    expect(outcome.stderr).not.toMatch(/\n\s+at .*\(/); // no stack trace
  });
});
