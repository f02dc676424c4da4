import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/contract/wire';
import { StudioError } from '../../../../shared/errors';
import { RpcServer, type Serve } from '../../../../shared/rpc/rpc-server';

/** A call that waits until aborted, then throws CANCELLED; `seen` records each abort. */
function harness() {
  const sent: ServerMessage[] = [];
  const aborted: string[] = [];
  const serve: Serve = (method, params, { signal, progress }) =>
    new Promise((resolve, reject) => {
      if (method === 'now') {
        progress({ step: 1 });
        resolve(params);
        return;
      }
      if (method === 'boom') {
        reject(new StudioError('NOT_FOUND', 'Nothing at "x".', { path: 'x' }));
        return;
      }
      signal.addEventListener('abort', () => {
        aborted.push(method);
        reject(new StudioError('CANCELLED', `${method} was cancelled.`));
      });
    });
  const server = new RpcServer(serve, (message) => sent.push(message));
  return { server, sent, aborted };
}

describe('RpcServer', () => {
  it('answers a call with its progress, then its result', async () => {
    const { server, sent } = harness();
    await server.receive({ type: 'call', id: '1', method: 'now', params: { a: 1 } });
    expect(sent).toEqual([
      { type: 'progress', id: '1', progress: { step: 1 } },
      { type: 'result', id: '1', ok: true, value: { a: 1 } },
    ]);
  });

  it('answers a thrown StudioError with its code, message and details', async () => {
    const { server, sent } = harness();
    await server.receive({ type: 'call', id: '2', method: 'boom', params: {} });
    expect(sent).toEqual([
      {
        type: 'result',
        id: '2',
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Nothing at "x".', details: { path: 'x' } },
      },
    ]);
  });

  it('cancels one call by id and leaves the others running', async () => {
    const { server, sent, aborted } = harness();
    const a = server.receive({ type: 'call', id: 'a', method: 'waitA', params: {} });
    void server.receive({ type: 'call', id: 'b', method: 'waitB', params: {} });
    await server.receive({ type: 'cancel', id: 'a' });
    await a;
    expect(aborted).toEqual(['waitA']);
    expect(sent).toEqual([
      { type: 'result', id: 'a', ok: false, error: { code: 'CANCELLED', message: 'waitA was cancelled.' } },
    ]);
    expect(server.inFlight).toBe(1);
    server.close();
  });

  it('aborts every call in flight on close (the client disconnected)', async () => {
    const { server, aborted } = harness();
    const calls = [1, 2, 3].map((n) => server.call({ type: 'call', id: String(n), method: `wait${n}`, params: {} }));
    expect(server.inFlight).toBe(3);
    server.close();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(aborted).toEqual(['wait1', 'wait2', 'wait3']);
    expect(server.inFlight).toBe(0);
  });

  it('refuses a duplicate id while the first call runs', async () => {
    const { server } = harness();
    void server.call({ type: 'call', id: 'd', method: 'wait', params: {} });
    expect(await server.call({ type: 'call', id: 'd', method: 'now', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'Duplicate request id "d": it is still running.' },
    });
    server.close();
  });

  it('answers malformed messages that carry an id, naming the field, and drops others', async () => {
    const { server, sent } = harness();
    await server.receive({ type: 'call', id: 'm' });
    await server.receive('garbage');
    await server.receive(null);
    await server.receive({ type: 'cancel', id: 42 });
    expect(sent).toEqual([
      {
        type: 'result',
        id: 'm',
        ok: false,
        error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/^Malformed message: method: /) },
      },
    ]);
  });
});
