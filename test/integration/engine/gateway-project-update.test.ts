/**
 * Issue 12 #11: in browser mode `project.update` saved dataset folders outside `--root` unchecked. The
 * gateway checks every path a call names (the contract's `paths`), the patch's dataset sources included.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/contract/wire';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { createHostHandlers } from '../../../main/gateway/host-handlers';
import { AllowedRoots } from '../../../main/gateway/roots';
import { Gateway } from '../../../main/gateway/gateway';

const log = new PassThrough().resume();
const engine = new EngineLink(forkEngine({ log }));
const base = mkdtempSync(path.join(os.tmpdir(), 'ts-gateway-update-'));
mkdirSync(path.join(base, 'allowed', 'photos', 'cats'), { recursive: true });
mkdirSync(path.join(base, 'private', 'secrets'), { recursive: true });
const roots = new AllowedRoots([path.join(base, 'allowed')]);
const gateway = new Gateway(engine, roots, createHostHandlers({ engine, roots }));

afterAll(async () => {
  await engine.stop();
  rmSync(base, { recursive: true, force: true });
});

async function call(id: string, method: string, params: unknown): Promise<ServerMessage> {
  const replies: ServerMessage[] = [];
  await gateway.connect((m) => replies.push(m)).receive({ type: 'call', id, method, params });
  return replies.at(-1)!;
}

describe('project.update through the gateway', () => {
  const dir = path.join(base, 'allowed', 'project');

  it('refuses dataset folders outside the roots and saves those inside', async () => {
    expect(await call('1', 'project.create', { dir })).toMatchObject({ ok: true });
    const outside = { sources: [{ path: path.join(base, 'private', 'secrets'), mode: 'class' }] };
    const refused = await call('2', 'project.update', { dir, patch: { dataset: outside } });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED', message: expect.stringContaining('secrets') },
    });
    const opened = await call('3', 'project.open', { dir, remember: false });
    expect(opened).toMatchObject({ ok: true, value: { project: { dataset: null } } });

    const inside = { sources: [{ path: path.join(base, 'allowed', 'photos'), mode: 'parent' }] };
    const saved = await call('4', 'project.update', { dir, patch: { dataset: inside } });
    expect(saved).toMatchObject({
      ok: true,
      value: { project: { dataset: { sources: [{ path: path.join(base, 'allowed', 'photos') }] } } },
    });
    expect(await call('5', 'project.update', { dir, patch: { dataset: null } })).toMatchObject({ ok: true });
  });

  it('host.listDir marks the project folder, so the Data step never takes it for a class', async () => {
    const listing = await call('6', 'host.listDir', { path: path.join(base, 'allowed') });
    expect(listing).toMatchObject({
      ok: true,
      value: {
        entries: [
          { name: 'photos', isDirectory: true },
          { name: 'project', isDirectory: true, isProject: true },
        ],
      },
    });
    const entries = (listing as unknown as { value: { entries: { name: string; isProject?: boolean }[] } }).value
      .entries;
    expect(entries.find((e) => e.name === 'photos')?.isProject).toBeUndefined();
  });
});
