import type { EngineMethod, ParsedRequestOf, ProgressOf, ResponseOf } from '../../shared/contract';

/** What a handler gets besides its request. */
export interface JobContext<P> {
  /** Aborted when the client cancels; handlers check it between batches and throw `cancelled()`. */
  signal: AbortSignal;
  /** Reports progress (throttled by the dispatcher; plain numbers). A no-op for plain calls. */
  progress(progress: P): void;
}

export type Handler<M extends EngineMethod> = (
  request: ParsedRequestOf<M>,
  context: JobContext<ProgressOf<M>>,
) => Promise<ResponseOf<M>>;

/** A handler for each method of a domain. */
export type HandlerMap<M extends EngineMethod> = { [K in M]: Handler<K> };
