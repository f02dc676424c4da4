import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterQuiet } from '../../../../renderer/src/lib/after-quiet';

describe('afterQuiet', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the action once the delay has passed', () => {
    const action = vi.fn();
    afterQuiet(action, 300);
    vi.advanceTimersByTime(299);
    expect(action).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('never runs the action when cancelled first, so each restart waits again', () => {
    const first = vi.fn();
    const second = vi.fn();
    const cancel = afterQuiet(first, 300);
    vi.advanceTimersByTime(200);
    cancel();
    afterQuiet(second, 300);
    vi.advanceTimersByTime(200);
    expect(first).not.toHaveBeenCalled();
    expect(second).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });
});
