import { errorMessage } from './error-message';

/** State that shows one task at a time: a busy flag and the last failure in words. */
export interface BusyState {
  busy: boolean;
  error: string | undefined;
}

/**
 * Runs `work` with `state.busy` set and `state.error` cleared; a failure becomes `state.error`
 * and the result is `fallback`.
 */
export async function runBusy<T>(state: BusyState, work: () => Promise<T>, fallback: T): Promise<T> {
  state.busy = true;
  state.error = undefined;
  try {
    return await work();
  } catch (error) {
    state.error = errorMessage(error);
    return fallback;
  } finally {
    state.busy = false;
  }
}
