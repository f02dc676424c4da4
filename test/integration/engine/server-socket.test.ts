import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../../shared/contract/wire';
import { forkEngine } from '../../../main/engine-link/fork';
import { startServer, type StudioServer } from '../../../main/server/server';

/**
 * What is particular to the WebSocket transport of `serve` (the RPC itself is tested in
 * test/unit/shared/rpc): JSON framing, and a closed tab's jobs being cancelled in the engine.
 */
let server: StudioServer;
beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ts-socket-'));
  server = await startServer({ roots: [root], spawn: forkEngine({ log: new PassThrough().resume() }) });
});
afterAll(() => server.close());

/** An open, authenticated socket and every message it received (parsed JSON). */
async function connect(): Promise<{ socket: WebSocket; received: ServerMessage[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, {
    headers: { Origin: `http://127.0.0.1:${server.port}` },
  });
  const received: ServerMessage[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, received };
}

describe('serve over WebSocket', () => {
  it('answers JSON calls with JSON progress and results, and ignores frames that are not JSON', async () => {
    const { socket, received } = await connect();
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'call', id: '1', method: 'system.count', params: { steps: 2, delayMs: 0 } }));
    // The first call starts the engine (seconds on a loaded machine), and its status events arrive in between.
    await vi.waitFor(
      () =>
        expect(received.find((m) => m.type === 'result')).toEqual({
          type: 'result',
          id: '1',
          ok: true,
          value: { counted: 2 },
        }),
      { timeout: 60_000 },
    );
    expect(received.filter((m) => m.type === 'progress').at(-1)).toEqual({
      type: 'progress',
      id: '1',
      progress: { step: 2, steps: 2 },
    });
    socket.close();
  });

  it('cancels the jobs of a socket that closes, so the engine stops working for nobody', async () => {
    const { socket, received } = await connect();
    socket.send(
      JSON.stringify({ type: 'call', id: 'j', method: 'system.count', params: { steps: 100_000, delayMs: 10 } }),
    );
    await vi.waitFor(() => expect(received.some((m) => m.type === 'progress')).toBe(true), { timeout: 60_000 });
    expect(server.engine.pendingCount).toBe(1);
    socket.close();
    // The engine answers the cancel after its current step: its link has nothing pending any more.
    await vi.waitFor(() => expect(server.engine.pendingCount).toBe(0), { timeout: 5_000 });
  });
});
