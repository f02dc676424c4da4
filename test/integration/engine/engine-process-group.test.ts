/**
 * A terminal's Ctrl-C sends SIGINT to the host's whole foreground process group. The forked engine lives in a
 * process group of its own, so that signal never reaches it — not even in the moment it is still starting and
 * cannot ignore it yet (which used to end a `scan` cancelled right after its bar appeared with "engine stopped").
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';

/** The process group id of a process (field 5 of /proc/<pid>/stat; the name in field 2 may hold spaces). */
function processGroupOf(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** True while a process with this pid exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const engineLog = new PassThrough().resume();
const host = new EngineLink(forkEngine({ log: engineLog }));
afterAll(() => host.stop());

describe.skipIf(process.platform !== 'linux')('engine process group', () => {
  it('is not the host’s: a terminal Ctrl-C reaches the host only', async () => {
    const engine = await host.start();
    const pid = engine.process.pid!;
    expect(processGroupOf(pid)).toBe(pid);
    expect(processGroupOf(pid)).not.toBe(processGroupOf('self'));
  });

  it(
    'still ends with its host: when the host dies (SIGKILL, no clean-up), the engine exits too',
    { timeout: 60_000 },
    async () => {
      // A host process that forks the engine with forkEngine, prints the engine's pid, then is killed outright.
      const script = [
        `import { forkEngine } from ${JSON.stringify(path.resolve('main/engine-link/fork.ts'))};`,
        'const engine = forkEngine()();',
        'engine.onMessage(() => { console.log(engine.pid); });',
      ].join('\n');
      const scriptFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'engine-group-')), 'host.mts');
      await writeFile(scriptFile, script);
      const hostProcess = spawn(process.execPath, ['--import', 'tsx', scriptFile], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const enginePid = await new Promise<number>((resolve, reject) => {
        hostProcess.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().split('\n')[0])));
        hostProcess.once('exit', (code) =>
          reject(new Error(`the host script exited with ${code} before the engine started`)),
        );
      });
      expect(isAlive(enginePid)).toBe(true);
      hostProcess.kill('SIGKILL');
      await expect.poll(() => isAlive(enginePid), { timeout: 15_000 }).toBe(false);
      await rm(path.dirname(scriptFile), { recursive: true, force: true });
    },
  );
});
