/**
 * The few platform facilities the RPC core needs. shared/ compiles with `types: []` (no DOM, no Node),
 * so they are described here by shape; the browser's and Node's own objects fit.
 */

/** An AbortSignal as the RPC core reads it (the DOM's and Node's both fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Timer functions of whatever runs the core: a browser page, the preload, Node. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers (every JavaScript host the app runs on has them). */
export const globalTimers: Timers = {
  setTimeout: (callback, ms) => (globalThis as unknown as Timers).setTimeout(callback, ms),
  clearTimeout: (handle) => (globalThis as unknown as Timers).clearTimeout(handle),
};
