import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../shared/errors';
import { runBusy, type BusyState } from '../../../../renderer/src/lib/busy-task';

describe('runBusy', () => {
  it('is busy while the work runs, clears the old error and returns the result', async () => {
    const state: BusyState = { busy: false, error: 'old failure' };
    let busyDuring: boolean | undefined;
    let errorDuring: string | undefined = 'unset';
    const result = await runBusy(
      state,
      async () => {
        busyDuring = state.busy;
        errorDuring = state.error;
        return 7;
      },
      0,
    );
    expect(result).toBe(7);
    expect(busyDuring).toBe(true);
    expect(errorDuring).toBeUndefined();
    expect(state).toEqual({ busy: false, error: undefined });
  });

  it('keeps a failure in words and returns the fallback', async () => {
    const state: BusyState = { busy: false, error: undefined };
    const result = await runBusy(
      state,
      async () => {
        throw new StudioError('NOT_FOUND', 'No folder at "/gone"');
      },
      -1,
    );
    expect(result).toBe(-1);
    expect(state).toEqual({ busy: false, error: 'No folder at "/gone"' });
  });
});
