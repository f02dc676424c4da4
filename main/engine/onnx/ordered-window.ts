/**
 * A bounded window of async jobs whose results are consumed in the order the jobs were started, whatever order they
 * finish in: the extraction pipeline keeps `depth` batches in the extractor (so ONNX Runtime always has the next
 * batch queued while the main thread decodes the one after) and writes their features in row order.
 */

export class OrderedWindow<R> {
  private tail: Promise<void> = Promise.resolve();
  private readonly open: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  /**
   * @param depth most jobs started and not yet consumed. Default: 2.
   * @param consume called with each job's result, one at a time, in start order (awaited before the next).
   */
  constructor(
    private readonly consume: (result: R) => Promise<void> | void,
    readonly depth = 2,
  ) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be an integer ≥ 1; received ${depth}`);
  }

  /** Jobs started and not yet consumed. */
  get size(): number {
    return this.open.length;
  }

  /**
   * Starts `job` once fewer than `depth` jobs are open (waiting for the oldest to be consumed otherwise).
   * @throws the first error of an earlier job or of `consume`; nothing new starts after one.
   */
  async push(job: () => Promise<R>): Promise<void> {
    while (this.open.length >= this.depth) await this.open[0];
    this.throwIfFailed();
    const settled = job().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const consumed = this.tail.then(async () => {
      const result = await settled;
      if (this.failure) return;
      if ('error' in result) this.failure = { error: result.error };
      else
        try {
          await this.consume(result.value);
        } catch (error) {
          this.failure = { error };
        }
    });
    this.tail = consumed;
    this.open.push(consumed);
    void consumed.then(() => this.open.splice(this.open.indexOf(consumed), 1));
  }

  /**
   * Waits until every started job has settled and been consumed (or skipped after a failure).
   * @throws the first error, like {@link push}.
   */
  async drain(): Promise<void> {
    await this.settle();
    this.throwIfFailed();
  }

  /** Waits until every started job has settled, never throwing: for cleanup after a cancel or an error. */
  async settle(): Promise<void> {
    while (this.open.length > 0) await this.open[this.open.length - 1];
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
