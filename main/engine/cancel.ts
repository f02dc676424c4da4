import { StudioError } from '../../shared/errors';

/** The error a cancelled job ends with. */
export function cancelledError(what = 'The job'): StudioError {
  return new StudioError('CANCELLED', `${what} was cancelled.`);
}

/** Throws {@link cancelledError} if the signal is aborted. Call it between units of work. */
export function throwIfCancelled(signal: AbortSignal, what?: string): void {
  if (signal.aborted) throw cancelledError(what);
}

/** Waits `ms`, rejecting with {@link cancelledError} as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
