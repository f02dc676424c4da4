import { ServerMessage, type ClientMessage } from '../../../../shared/contract/wire';
import { StudioError, isErrorData } from '../../../../shared/errors';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: StudioError) => void;
  onProgress?: (progress: never) => void;
}

/**
 * Request/response bookkeeping shared by both clients: ids, pending calls, progress routing,
 * cancel via AbortSignal, events, and failing everything when the link drops.
 */
export class RpcCore {
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private next = 1;

  constructor(private readonly post: (message: ClientMessage) => void) {}

  call(method: string, params: unknown, options: { onProgress?: (p: never) => void; signal?: AbortSignal } = {}) {
    const id = `r${this.next++}`;
    return new Promise<unknown>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new StudioError('CANCELLED', `${method} was cancelled.`));
        return;
      }
      const onAbort = () => this.post({ type: 'cancel', id });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => options.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (value) => (done(), resolve(value)),
        reject: (error) => (done(), reject(error)),
        onProgress: options.onProgress,
      });
      this.post({ type: 'call', id, method, params });
    });
  }

  on(event: string, listener: (payload: never) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  /** Feeds a message from the transport. */
  receive(raw: unknown): void {
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.name) ?? []) listener(message.payload as never);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress as never);
      return;
    }
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(isErrorData(message.error) ? StudioError.fromData(message.error) : new StudioError('INTERNAL', message.error.message));
  }

  /** Rejects every pending call (the link is gone). */
  failAll(error: StudioError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(error);
    }
  }
}
