import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/contract/wire';
import { Dispatcher } from '../../../../main/engine/dispatcher';
import { createHandlers } from '../../../../main/engine/handlers';

function harness() {
  const sent: ServerMessage[] = [];
  const dispatcher = new Dispatcher(createHandlers(), (message) => sent.push(message), 0);
  const resultOf = async (id: string) => {
    for (let i = 0; i < 500; i++) {
      const found = sent.find((m) => m.type === 'result' && m.id === id);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no result for ${id}`);
  };
  return { sent, dispatcher, resultOf };
}

describe('Dispatcher', () => {
  it('runs a job, streams progress and answers with its result', async () => {
    const { sent, dispatcher, resultOf } = harness();
    dispatcher.handle({ type: 'call', id: 'a', method: 'system.count', params: { steps: 3, delayMs: 1 } });
    expect(await resultOf('a')).toEqual({ type: 'result', id: 'a', ok: true, value: { counted: 3 } });
    const progress = sent.filter((m) => m.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', id: 'a', progress: { step: 3, steps: 3 } });
    expect(dispatcher.inFlight).toBe(0);
  });

  it('cancels a running job with CANCELLED', async () => {
    const { dispatcher, resultOf } = harness();
    dispatcher.handle({ type: 'call', id: 'b', method: 'system.count', params: { steps: 1000, delayMs: 10 } });
    setTimeout(() => dispatcher.handle({ type: 'cancel', id: 'b' }), 30);
    const result = await resultOf('b');
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('rejects invalid requests with the field named, and unknown or host methods', async () => {
    const { dispatcher, resultOf } = harness();
    dispatcher.handle({ type: 'call', id: 'c', method: 'system.count', params: { steps: -1, delayMs: 0 } });
    expect(await resultOf('c')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('steps') },
    });
    dispatcher.handle({ type: 'call', id: 'd', method: 'rm -rf', params: {} });
    expect(await resultOf('d')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    dispatcher.handle({ type: 'call', id: 'e', method: 'host.roots', params: {} });
    expect(await resultOf('e')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });
});
