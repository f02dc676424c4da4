import { mkdirSync, mkdtempSync } from 'node:fs';
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

const base = mkdtempSync(path.join(os.tmpdir(), 'ts-project-router-'));
mkdirSync(path.join(base, 'allowed'));
mkdirSync(path.join(base, 'private'));
const log = new PassThrough().resume();
const engine = new EngineLink(forkEngine({ log, env: { TRANSFER_STUDIO_CONFIG_DIR: path.join(base, 'config') } }));
const roots = new AllowedRoots([path.join(base, 'allowed')]);
const router = new Gateway(engine, roots, createHostHandlers({ engine, roots }));
afterAll(() => engine.stop());

let id = 0;
async function call(method: string, params: unknown): Promise<ServerMessage & { type: 'result' }> {
  const replies: ServerMessage[] = [];
  await router.connect((m) => replies.push(m)).receive({ type: 'call', id: String(++id), method, params });
  return replies.at(-1) as ServerMessage & { type: 'result' };
}

describe('project calls through the Gateway and a real engine', () => {
  const dir = path.join(base, 'allowed', 'flowers');

  it('creates, updates and reopens a project inside an allowed root', async () => {
    const created = await call('project.create', { dir, name: 'Flowers' });
    expect(created).toMatchObject({
      ok: true,
      value: { dir, project: { name: 'Flowers', revision: 1, base: { id: 'nsfwjs-mobilenet-v2' } } },
    });
    const head = { layers: [{ kind: 'dense', units: 32, activation: 'relu' }] };
    const updated = await call('project.update', { dir, patch: { head }, expectedRevision: 1 });
    expect(updated).toMatchObject({ ok: true, value: { project: { revision: 2, head: { layers: [{ units: 32 }] } } } });
    const opened = await call('project.open', { dir });
    expect(opened.ok && opened.value).toEqual(updated.ok && updated.value);
    const recent = await call('project.recent', {});
    expect(recent).toMatchObject({ ok: true, value: { projects: [{ dir, name: 'Flowers', exists: true }] } });
  });

  it('reports validation problems quoting the value, and stale revisions', async () => {
    const bad = await call('project.update', { dir, patch: { head: { layers: [{ kind: 'dense', units: 0 }] } } });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringContaining('expected units to be an integer > 0, received 0') },
    });
    const malformed = await call('project.update', {
      dir,
      patch: { head: { layers: [{ kind: 'dense', units: 'many' }] } },
    });
    expect(malformed).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('patch.head.layers.0.units') },
    });
    const stale = await call('project.update', { dir, patch: { name: 'x' }, expectedRevision: 1 });
    expect(stale).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('changed by another program') },
    });
  });

  it('refuses project folders outside the allowed roots before the engine sees them', async () => {
    for (const method of ['project.create', 'project.open', 'project.update']) {
      const params =
        method === 'project.update'
          ? { dir: path.join(base, 'private', 'p'), patch: {} }
          : { dir: path.join(base, 'private', 'p') };
      const reply = await call(method, params);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'PATH_NOT_ALLOWED', message: expect.stringContaining('private') },
      });
    }
    const escape = await call('project.open', { dir: path.join(base, 'allowed', '..', 'private') });
    expect(escape).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    const relative = await call('project.open', { dir: 'allowed/flowers' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
  });
});
