/**
 * Numbers requests so only the newest one's answer is applied: `begin()` returns a check that
 * stays true until another request begins or {@link LatestRequest.invalidate} is called.
 */
export class LatestRequest {
  private current = 0;

  /** Starts a request; the returned function tells whether it is still the newest. */
  begin(): () => boolean {
    const id = ++this.current;
    return () => id === this.current;
  }

  /** Makes every request begun so far stale (their answers are dropped). */
  invalidate(): void {
    this.current++;
  }
}
