/**
 * Limits how often a value is forwarded: at most one per `intervalMs`, always delivering the
 * latest value (trailing edge), with `flush()` to deliver a pending value at once and `pushNow()` for values
 * that must get through.
 */
export class Throttle<T> {
  private pending: { value: T } | undefined;
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param deliver receives the values that pass.
   * @param intervalMs minimum time between deliveries. Default: 125 (8 per second).
   * @param now clock, for tests. Default: `Date.now`.
   */
  constructor(
    private readonly deliver: (value: T) => void,
    private readonly intervalMs = 125,
    private readonly now: () => number = Date.now,
  ) {}

  push(value: T): void {
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0 && !this.timer) {
      this.send(value);
      return;
    }
    this.pending = { value };
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        this.flush();
      },
      Math.max(0, wait),
    );
  }

  /** Delivers the pending value (if any) and then `value`, now: for values that must never be dropped. */
  pushNow(value: T): void {
    this.flush();
    this.send(value);
  }

  /** Delivers the pending value, if any, now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.send(pending.value);
  }

  /** Drops the pending value and stops the timer. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private send(value: T): void {
    this.lastSent = this.now();
    this.deliver(value);
  }
}
