/**
 * The Evaluate/Predict contract through the gateway and a real engine process: `runs.read` and
 * `evaluation.read` answer plain data for a run folder, and every path of `evaluation.evaluate` and
 * `prediction.predict` is checked against the user's roots before the engine sees the request.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/contract/wire';
import { RunSummary } from '../../../shared/contract/evaluate';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { createHostHandlers } from '../../../main/gateway/host-handlers';
import { AllowedRoots } from '../../../main/gateway/roots';
import { Gateway } from '../../../main/gateway/gateway';

const log = new PassThrough().resume();
const engine = new EngineLink(forkEngine({ log }));
const base = mkdtempSync(path.join(os.tmpdir(), 'ts-gateway-evaluate-'));
const allowed = path.join(base, 'allowed');
const runDir = path.join(allowed, 'runs', 'r1');
mkdirSync(runDir, { recursive: true });
mkdirSync(path.join(base, 'private'));
copyFileSync(path.resolve('test/fixtures/run-folder/run-v1.json'), path.join(runDir, 'run.json'));
const roots = new AllowedRoots([allowed]);
const gateway = new Gateway(engine, roots, createHostHandlers({ engine, roots }));

afterAll(() => engine.stop());

async function send(method: string, params: unknown): Promise<ServerMessage> {
  const replies: ServerMessage[] = [];
  await gateway.connect((m) => replies.push(m)).receive({ type: 'call', id: '1', method, params });
  return replies.at(-1)!;
}

describe('Evaluate and Predict through the gateway', () => {
  it('runs.read gives a run (here a migrated version-1 run.json) as plain data', async () => {
    const reply = await send('runs.read', { runDir });
    expect(reply).toMatchObject({ ok: true });
    const summary = RunSummary.parse((reply as { value: unknown }).value);
    expect(summary).toMatchObject({
      runDir,
      id: '2026-11-20T10-00-00-000Z', // its id in the project, not the folder name
      status: 'cancelled',
      head: 'dense:64:relu,dropout:0.3',
      hasModel: false,
      evaluation: null,
    });
    expect(summary.config.epochs).toBe(4);
  });

  it('evaluation.read answers null for a run never evaluated', async () => {
    expect(await send('evaluation.read', { runDir })).toMatchObject({ ok: true, value: null });
  });

  it('evaluation.evaluate of a run that did not complete says so, naming its status', async () => {
    const reply = await send('evaluation.evaluate', { runDir });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/status is "cancelled", not "completed"/) },
    });
  });

  it('refuses a run folder, a data folder, a model or an image outside the roots', async () => {
    const outside = path.join(base, 'private');
    for (const [method, params] of [
      ['runs.read', { runDir: outside }],
      ['evaluation.read', { runDir: outside }],
      ['evaluation.evaluate', { runDir, dataDir: outside }],
      ['prediction.predict', { model: outside, paths: [runDir] }],
      ['prediction.predict', { model: runDir, paths: [runDir, path.join(outside, 'x.png')] }],
    ] as const) {
      const reply = await send(method, params);
      expect(reply, method).toMatchObject({
        ok: false,
        error: { code: 'PATH_NOT_ALLOWED', message: expect.stringContaining('private') },
      });
    }
  });
});
