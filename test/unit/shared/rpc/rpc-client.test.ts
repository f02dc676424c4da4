import { describe, expect, it, vi } from 'vitest';
import type { ClientMessage } from '../../../../shared/contract/wire';
import { StudioError } from '../../../../shared/errors';
import { RpcClient } from '../../../../shared/rpc/rpc-client';
import { RpcServer, type Serve } from '../../../../shared/rpc/rpc-server';

/** Resolves after `ms` unless the signal aborts first (then rejects CANCELLED, as engine handlers do). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new StudioError('CANCELLED', 'cancelled'));
    });
  });
}

/** Methods of the test server: echo after a delay, count with progress, fail with a code. */
const serve: Serve<AbortSignal> = async (method, params, { signal, progress }) => {
  const request = params as { value?: unknown; delayMs?: number; steps?: number };
  if (method === 'echo') {
    await sleep(request.delayMs ?? 0, signal);
    return request.value;
  }
  if (method === 'count') {
    for (let step = 1; step <= (request.steps ?? 0); step++) {
      await sleep(request.delayMs ?? 0, signal);
      progress({ step });
    }
    return { counted: request.steps };
  }
  throw new StudioError('UNKNOWN_METHOD', `No method ${JSON.stringify(method)}.`);
};

/** A client and a server joined by an asynchronous, structured-clone link (as a process or socket is). */
function linked() {
  const posted: ClientMessage[] = [];
  const strays: string[] = [];
  let connected = true;
  const client: RpcClient = new RpcClient({
    post: (message) => {
      posted.push(message);
      const copy = structuredClone(message);
      setImmediate(() => connected && void server.receive(copy));
    },
    onStray: (_raw, why) => strays.push(why),
  });
  const server = new RpcServer<AbortSignal>(
    serve,
    (message) => {
      const copy = structuredClone(message);
      setImmediate(() => connected && client.receive(copy));
    },
    () => new AbortController(),
  );
  const cut = () => {
    connected = false;
    server.close();
    client.disconnect(new StudioError('ENGINE_UNAVAILABLE', 'The link dropped.'));
  };
  return { client, server, posted, strays, cut };
}

describe('RpcClient', () => {
  it('resolves concurrent calls to their own callers, whatever order the answers come in', async () => {
    const { client } = linked();
    const slow = client.send('echo', { value: 'slow', delayMs: 30 });
    const fast = client.send('echo', { value: { n: 1 }, delayMs: 0 });
    const failing = client.send('nope', {});
    const order: string[] = [];
    await Promise.all([
      slow.then(() => order.push('slow')),
      fast.then(() => order.push('fast')),
      failing.catch(() => 0),
    ]);
    expect(order).toEqual(['fast', 'slow']);
    expect(await slow).toBe('slow');
    expect(await fast).toEqual({ n: 1 });
    await expect(failing).rejects.toMatchObject({ code: 'UNKNOWN_METHOD', message: 'No method "nope".' });
    expect(client.pendingCount).toBe(0);
  });

  it('routes progress to the call it belongs to only', async () => {
    const { client } = linked();
    const a: unknown[] = [];
    const b: unknown[] = [];
    await Promise.all([
      client.send('count', { steps: 2, delayMs: 1 }, { onProgress: (p) => a.push(p) }),
      client.send('count', { steps: 3, delayMs: 1 }, { onProgress: (p) => b.push(p) }),
    ]);
    expect(a).toEqual([{ step: 1 }, { step: 2 }]);
    expect(b).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
  });

  it('cancels through an AbortSignal: sends cancel, the server aborts, the call rejects CANCELLED', async () => {
    const { client, server, posted } = linked();
    const controller = new AbortController();
    const running = client.send(
      'count',
      { steps: 1000, delayMs: 5 },
      {
        id: 'job',
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(posted.map((m) => m.type)).toEqual(['call', 'cancel']);
    expect(posted[1]).toEqual({ type: 'cancel', id: 'job' });
    expect(server.inFlight).toBe(0);
  });

  it('rejects an already aborted call at once, sending nothing', async () => {
    const { client, posted } = linked();
    const controller = new AbortController();
    controller.abort();
    await expect(client.send('echo', {}, { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
      message: 'echo was cancelled.',
    });
    expect(posted).toEqual([]);
  });

  it('fails every pending call with the given error when the link drops mid-call', async () => {
    const { client, server, cut } = linked();
    const progress: unknown[] = [];
    const first = client.send('count', { steps: 1000, delayMs: 5 }, { onProgress: (p) => progress.push(p) });
    const second = client.send('echo', { value: 1, delayMs: 10_000 });
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(0));
    expect(server.inFlight).toBe(2);
    cut();
    await expect(first).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: 'The link dropped.' });
    await expect(second).rejects.toBeInstanceOf(StudioError);
    expect(client.pendingCount).toBe(0);
    // The server side aborted both calls (cancel-on-disconnect).
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
  });

  it('times out a call after timeoutMs, naming the limit, and cancels it on the server', async () => {
    const { client, server, posted, strays } = linked();
    const started = Date.now();
    await expect(client.send('echo', { value: 1, delayMs: 5_000 }, { id: 't', timeoutMs: 40 })).rejects.toMatchObject({
      code: 'CANCELLED',
      message: 'echo timed out: no answer within timeoutMs=40 ms.',
      details: { timeoutMs: 40 },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(posted.at(-1)).toEqual({ type: 'cancel', id: 't' });
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    // The server's late CANCELLED answer matches no pending call any more: reported, not delivered.
    await vi.waitFor(() => expect(strays).toEqual(['no pending call has id "t"']));
  });

  it('refuses a timeoutMs that is not a positive number, quoting it, and sends nothing', async () => {
    const { client, posted } = linked();
    await expect(client.send('echo', {}, { timeoutMs: -5 })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'timeoutMs must be a positive number of milliseconds, received -5.',
    });
    await expect(client.send('echo', {}, { timeoutMs: Number.NaN })).rejects.toMatchObject({
      message: 'timeoutMs must be a positive number of milliseconds, received NaN.',
    });
    expect(posted).toEqual([]);
  });

  it('ignores and reports answers with an unknown id and messages that are not server messages', () => {
    const strays: [unknown, string][] = [];
    const client = new RpcClient({ post: () => undefined, onStray: (raw, why) => strays.push([raw, why]) });
    const call = client.send('echo', {}, { id: 'known' });
    client.receive({ type: 'result', id: 'other', ok: true, value: 1 });
    client.receive({ type: 'progress', id: 'other', progress: { step: 1 } });
    client.receive('garbage');
    expect(strays.map(([, why]) => why)).toEqual([
      'no pending call has id "other"',
      'no pending call has id "other"',
      'not a server message',
    ]);
    expect(client.pendingCount).toBe(1);
    client.receive({ type: 'result', id: 'known', ok: true, value: 'yes' });
    return expect(call).resolves.toBe('yes');
  });

  it('refuses an id that is still pending, and fails a call the transport cannot send', async () => {
    const client = new RpcClient({ post: () => undefined });
    void client.send('echo', {}, { id: 'same' });
    await expect(client.send('echo', {}, { id: 'same' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'Request id "same" is in use.',
    });
    const broken = new RpcClient({
      post: () => {
        throw new Error('socket closed');
      },
    });
    await expect(broken.send('echo', {})).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: 'Could not send echo: socket closed',
    });
    expect(broken.pendingCount).toBe(0);
  });

  it('delivers events by name until unsubscribed, and keeps error codes, messages and details', async () => {
    const client = new RpcClient({ post: () => undefined });
    const seen: unknown[] = [];
    const off = client.on('engine.status', (payload) => seen.push(payload));
    client.receive({ type: 'event', name: 'engine.status', payload: { state: 'ready' } });
    client.receive({ type: 'event', name: 'other', payload: 1 });
    off();
    client.receive({ type: 'event', name: 'engine.status', payload: { state: 'stopped' } });
    expect(seen).toEqual([{ state: 'ready' }]);

    const call = client.send('echo', {}, { id: 'e' });
    client.receive({
      type: 'result',
      id: 'e',
      ok: false,
      error: { code: 'NOT_FOUND', message: 'gone', details: { a: 1 } },
    });
    await expect(call).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'gone', details: { a: 1 } });
    const odd = client.send('echo', {}, { id: 'o' });
    client.receive({ type: 'result', id: 'o', ok: false, error: { code: 'WEIRD', message: 'strange' } });
    await expect(odd).rejects.toMatchObject({ code: 'INTERNAL', message: 'strange' });
  });
});
