import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ProjectOpened } from '../../../shared/contract/project';

const run = promisify(execFile);
const base = mkdtempSync(path.join(os.tmpdir(), 'ts-project-cli-'));
const env = { ...process.env, TRANSFER_STUDIO_CONFIG_DIR: path.join(base, 'config') };
const cli = (...args: string[]) => run(process.execPath, ['bin/transfer-studio.js', ...args], { env });

describe('transfer-studio project', () => {
  it('create then show (readable and --json)', async () => {
    const dir = path.join(base, 'cats');
    const created = await cli('project', 'create', dir, '--name', 'Cats');
    expect(created.stdout).toBe(`Created project "Cats" in ${dir}\n`);
    const { stdout } = await cli('project', 'show', dir);
    expect(stdout).toMatch(/^Cats — .*cats \(revision 1, /);
    expect(stdout).toContain('Base: nsfwjs-mobilenet-v2 (frozen)');
    expect(stdout).toContain('Head: dense:128:relu → dropout:0.2 → dense:C:softmax');
    expect(stdout).toContain('Runs: none');
    const json = ProjectOpened.parse(JSON.parse((await cli('project', 'show', dir, '--json')).stdout));
    expect(json.project).toMatchObject({ name: 'Cats', revision: 1 });
  });

  it('fails with a one-line reason on a non-empty folder and on a missing project', async () => {
    const failure = await cli('project', 'create', path.resolve('test')).catch((e) => e);
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toMatch(/is not empty and is not a project \(it holds "/);
    const missing = await cli('project', 'show', path.join(base, 'nothing')).catch((e) => e);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/has no project\.json/);
  });
});
