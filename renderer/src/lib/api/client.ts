import type { EventName, EventPayload, Method, ProgressOf, RequestOf, ResponseOf } from '../../../../shared/contract';

export interface CallOptions<M extends Method> {
  /** Receives progress of a job. Default: none. */
  onProgress?: (progress: ProgressOf<M>) => void;
  /** Cancels the job when aborted; the call then rejects with code CANCELLED. Default: none. */
  signal?: AbortSignal;
}

/**
 * The renderer's one way to the engine and host. Two implementations share it — the Electron
 * bridge (window.studio) and the WebSocket client (browser mode) — and nothing else in the
 * renderer knows which one it runs on.
 */
export interface StudioClient {
  readonly kind: 'electron' | 'web';
  call<M extends Method>(method: M, request: RequestOf<M>, options?: CallOptions<M>): Promise<ResponseOf<M>>;
  /** Subscribes to host events; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Allows folders the user dropped on the window and returns their paths. Only the desktop app
   * can see where a dropped file lives; in browser mode this rejects with UNSUPPORTED.
   * Optional so test doubles may leave it out.
   */
  allowDroppedFiles?(files: readonly File[]): Promise<string[]>;
}
