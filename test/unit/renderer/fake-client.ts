/// <reference types="svelte" />
import type { EventName, EventPayload, InfoResponse, Method, RequestOf, ResponseOf } from '../../../shared/contract';
import { StudioError } from '../../../shared/errors';
import type { CallOptions, StudioClient } from '../../../renderer/src/lib/api';

type Handler = (request: never) => unknown;

/**
 * An in-memory StudioClient for the renderer's state classes: answers calls from handlers the
 * test sets, records every call, and emits host events on demand.
 */
export class FakeClient implements StudioClient {
  readonly kind: 'electron' | 'web';
  readonly calls: { method: Method; request: unknown }[] = [];
  private readonly handlers = new Map<Method, Handler>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  allowDroppedFiles?: (files: readonly File[]) => Promise<string[]>;

  constructor(kind: 'electron' | 'web' = 'web') {
    this.kind = kind;
  }

  /** Answers `method` with `handler` (its value, or its thrown error). */
  handle<M extends Method>(
    method: M,
    handler: (request: RequestOf<M>) => ResponseOf<M> | Promise<ResponseOf<M>>,
  ): this {
    this.handlers.set(method, handler as Handler);
    return this;
  }

  async call<M extends Method>(method: M, request: RequestOf<M>, _options?: CallOptions<M>): Promise<ResponseOf<M>> {
    this.calls.push({ method, request });
    const handler = this.handlers.get(method);
    if (!handler) throw new StudioError('UNKNOWN_METHOD', `No handler for ${method} in this test.`);
    return (await handler(request as never)) as ResponseOf<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  count(method: Method): number {
    return this.calls.filter((entry) => entry.method === method).length;
  }
}

/** A plausible `info` answer for engine process `pid`. */
export function infoFor(pid: number, backend = 'wasm'): InfoResponse {
  return {
    version: '0.1.0',
    backend: {
      name: backend,
      tried: [
        { name: 'tensorflow', ok: false, reason: 'tfjs-node is not installed.' },
        { name: backend, ok: true },
      ],
      forced: false,
    },
    onnxruntime: { available: true, version: '1.30.0' },
    cpus: 2,
    memory: { totalBytes: 8e9, freeBytes: 4e9, engineRssBytes: 2e8 },
    node: 'v20.20.0',
    platform: 'linux',
    arch: 'x64',
    pid,
  };
}

/** Lets pending promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
