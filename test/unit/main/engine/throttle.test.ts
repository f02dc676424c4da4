import { describe, expect, it, vi } from 'vitest';
import { Throttle } from '../../../../main/engine/throttle';

describe('Throttle', () => {
  it('delivers the first value at once, then at most one per interval with the latest value', () => {
    vi.useFakeTimers();
    try {
      const seen: number[] = [];
      const throttle = new Throttle<number>(
        (v) => seen.push(v),
        125,
        () => Date.now(),
      );
      for (let i = 1; i <= 100; i++) throttle.push(i);
      expect(seen).toEqual([1]);
      vi.advanceTimersByTime(125);
      expect(seen).toEqual([1, 100]);
      throttle.push(101);
      throttle.push(102);
      throttle.flush();
      expect(seen).toEqual([1, 100, 102]);
      throttle.push(103);
      throttle.cancel();
      vi.advanceTimersByTime(1000);
      expect(seen).toEqual([1, 100, 102]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('pushNow delivers the pending value and then its own at once, inside the interval', () => {
    vi.useFakeTimers();
    try {
      const seen: number[] = [];
      const throttle = new Throttle<number>(
        (v) => seen.push(v),
        125,
        () => Date.now(),
      );
      throttle.push(1);
      throttle.push(2); // pending
      throttle.pushNow(3); // a milestone: 2 first, then 3, nothing dropped
      expect(seen).toEqual([1, 2, 3]);
      throttle.push(4); // the interval starts again after the milestone
      expect(seen).toEqual([1, 2, 3]);
      vi.advanceTimersByTime(125);
      expect(seen).toEqual([1, 2, 3, 4]);
    } finally {
      vi.useRealTimers();
    }
  });
});
