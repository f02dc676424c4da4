import type { Method, ProgressOf, RequestOf, ResponseOf } from '../contract';
import { ServerMessage, type ClientMessage } from '../contract/wire';
import { StudioError, isErrorData, quote } from '../errors';
import { globalTimers, type AbortSignalLike, type Timers } from './platform';

export interface RpcCallOptions<Progress = Record<string, unknown>> {
  /** Request id, to cancel the call by id later. Default: a fresh id (`idPrefix` and a counter). */
  id?: string;
  /** Receives the job's progress messages, in order. Default: none. */
  onProgress?: (progress: Progress) => void;
  /**
   * Aborting sends a cancel to the server; the call then rejects with the server's answer (CANCELLED).
   * An already aborted signal rejects at once, sending nothing. Default: none.
   */
  signal?: AbortSignalLike;
  /**
   * Milliseconds to wait for the answer; then a cancel is sent and the call rejects with CANCELLED
   * naming the limit. Default: no limit.
   */
  timeoutMs?: number;
}

export interface RpcClientOptions {
  /**
   * Hands a message to the transport (IPC, WebSocket, process link). A throw fails that call: a
   * StudioError as it is, anything else as ENGINE_UNAVAILABLE.
   */
  post: (message: ClientMessage) => void;
  /** Prefix of generated request ids. Default: "r". */
  idPrefix?: string;
  /**
   * Told of every incoming message that is not a server message or answers no pending call (e.g. a
   * late reply to a call that timed out). Default: ignore.
   */
  onStray?: (raw: unknown, why: string) => void;
  /** Timer functions (tests pass fake ones). Default: the global setTimeout/clearTimeout. */
  timers?: Timers;
}

interface PendingCall {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: StudioError) => void;
  onProgress?: (progress: never) => void;
}

/**
 * The client half of the one RPC protocol (shared/contract/wire.ts), whatever the transport: request
 * ids, the pending-request table, progress routed to its call, cancel through an AbortSignal, per-call
 * timeouts, events by name, and failing every pending call when the link drops. Used by the engine
 * link, the browser's WebSocket client and the preload bridge; each transport only moves messages.
 */
export class RpcClient {
  private readonly pending = new Map<string, PendingCall>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private readonly timers: Timers;
  private nextId = 1;

  constructor(private readonly options: RpcClientOptions) {
    this.timers = options.timers ?? globalTimers;
  }

  /** Number of calls waiting for an answer. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends a call (or job); resolves with its value or rejects with a StudioError. */
  call<M extends Method>(
    method: M,
    request: RequestOf<M>,
    options: RpcCallOptions<ProgressOf<M>> = {},
  ): Promise<ResponseOf<M>> {
    return this.send(method, request, options as RpcCallOptions<never>) as Promise<ResponseOf<M>>;
  }

  /** Untyped form of {@link call}, for transports that forward calls they did not make. */
  send(method: string, params: unknown, options: RpcCallOptions<never> = {}): Promise<unknown> {
    const id = options.id ?? `${this.options.idPrefix ?? 'r'}${this.nextId++}`;
    return new Promise<unknown>((resolve, reject) => {
      if (this.pending.has(id)) {
        reject(new StudioError('INVALID_REQUEST', `Request id ${JSON.stringify(id)} is in use.`, { id }));
        return;
      }
      const { signal, timeoutMs } = options;
      if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
        const received = typeof timeoutMs === 'number' ? String(timeoutMs) : quote(timeoutMs);
        const why = `timeoutMs must be a positive number of milliseconds, received ${received}.`;
        reject(new StudioError('INVALID_REQUEST', why, { timeoutMs }));
        return;
      }
      if (signal?.aborted) {
        reject(new StudioError('CANCELLED', `${method} was cancelled.`));
        return;
      }
      const onAbort = () => this.cancel(id);
      let timer: unknown;
      const cleanUp = () => {
        signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) this.timers.clearTimeout(timer);
      };
      this.pending.set(id, {
        method,
        resolve: (value) => (cleanUp(), resolve(value)),
        reject: (error) => (cleanUp(), reject(error)),
        onProgress: options.onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) timer = this.timers.setTimeout(() => this.timeOut(id, timeoutMs), timeoutMs);
      try {
        this.options.post({ type: 'call', id, method, params });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        const failure =
          error instanceof StudioError
            ? error
            : new StudioError('ENGINE_UNAVAILABLE', `Could not send ${method}: ${why}`);
        this.settle(id, failure);
      }
    });
  }

  /** Asks the server to cancel a pending call; it answers CANCELLED after its current step. */
  cancel(id: string): void {
    if (!this.pending.has(id)) return;
    try {
      this.options.post({ type: 'cancel', id });
    } catch {
      // The link is down: its transport reports that through disconnect(), which fails the call.
    }
  }

  /** Subscribes to server events by name; returns the unsubscribe function. */
  on(event: string, listener: (payload: never) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => {
      set.delete(listener);
    };
  }

  /** Feeds one message from the transport, parsed here from `unknown`. */
  receive(raw: unknown): void {
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) {
      this.options.onStray?.(raw, 'not a server message');
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.name) ?? []) listener(message.payload as never);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) {
      this.options.onStray?.(raw, `no pending call has id ${JSON.stringify(message.id)}`);
      return;
    }
    if (message.type === 'progress') call.onProgress?.(message.progress as never);
    else if (message.ok) this.settle(message.id, undefined, message.value);
    else {
      const error = message.error;
      this.settle(
        message.id,
        isErrorData(error) ? StudioError.fromData(error) : new StudioError('INTERNAL', error.message, error.details),
      );
    }
  }

  /** The link is gone: every pending call rejects with `error`. Later calls are sent as usual. */
  disconnect(error: StudioError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  private timeOut(id: string, timeoutMs: number): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.cancel(id);
    this.settle(
      id,
      new StudioError('CANCELLED', `${call.method} timed out: no answer within timeoutMs=${timeoutMs} ms.`, {
        timeoutMs,
      }),
    );
  }

  private settle(id: string, error: StudioError | undefined, value?: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    if (error) call.reject(error);
    else call.resolve(value);
  }
}
