import type { EngineMethod, ParsedRequestOf, ProgressOf, ResponseOf } from '../../shared/contract';

/** Options of a progress report. */
export interface ReportOptions {
  /** Deliver now and never drop it (see {@link JobContext.progress}). Default: false. */
  milestone?: boolean;
}

/** What a handler gets besides its request. */
export interface JobContext<P> {
  /** Aborted when the client cancels; handlers check it between batches and throw `cancelled()`. */
  signal: AbortSignal;
  /**
   * Reports progress (throttled by the dispatcher; plain numbers). A no-op for plain calls.
   * A milestone (e.g. the end of a training epoch, which carries its validation metrics) is never dropped by the
   * throttle: a pending report goes first, then it, at once.
   */
  progress(progress: P, options?: ReportOptions): void;
}

export type Handler<M extends EngineMethod> = (
  request: ParsedRequestOf<M>,
  context: JobContext<ProgressOf<M>>,
) => Promise<ResponseOf<M>>;

/** A handler for each method of a domain. */
export type HandlerMap<M extends EngineMethod> = { [K in M]: Handler<K> };
