import type { EventName, EventPayload, Method, RequestOf, ResponseOf } from '../../../../shared/contract';
import type { BridgeCallOptions, BridgeResult, StudioBridge } from '../../../../shared/contract/bridge';
import { StudioError } from '../../../../shared/errors';
import type { CallOptions, StudioClient } from './client';

let nextJob = 1;

/** Desktop mode: the contract through the preload's `window.studio` bridge. */
export class ElectronClient implements StudioClient {
  readonly kind = 'electron';

  constructor(private readonly bridge: StudioBridge) {}

  async call<M extends Method>(method: M, request: RequestOf<M>, options: CallOptions<M> = {}): Promise<ResponseOf<M>> {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', `${method} was cancelled.`);
    const jobId = `j${nextJob++}`;
    const onAbort = () => this.bridge.cancel(jobId);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const invoke = this.bridge[method] as (
        request: RequestOf<M>,
        options: BridgeCallOptions<M>,
      ) => Promise<BridgeResult<ResponseOf<M>>>;
      const result = await invoke(request, { jobId, onProgress: options.onProgress });
      if (!result.ok) throw StudioError.fromData(result.error);
      return result.value;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on(event, listener);
  }

  /** Asks main to allow the dropped folders (it resolves their paths with webUtils). */
  allowDroppedFiles(files: readonly File[]): Promise<string[]> {
    return this.bridge.allowDroppedFiles(files);
  }
}
