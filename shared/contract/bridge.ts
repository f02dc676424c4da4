import type { StudioErrorData } from '../errors';
import type { EventName, EventPayload } from './events';
import type { Method, ProgressOf, RequestOf, ResponseOf } from './index';

/** A settled call as it crosses contextBridge (which would strip an Error's code and details). */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: StudioErrorData };

export interface BridgeCallOptions<M extends Method> {
  /** Id to cancel the job with `cancel(jobId)`. Default: a fresh id. */
  jobId?: string;
  /** Receives job progress. Default: none. */
  onProgress?: (progress: ProgressOf<M>) => void;
}

/**
 * `window.studio` in the desktop app: one named method per contract call, plus cancel, events and
 * dropped-folder paths. The preload `satisfies` this type; the renderer never sees ipcRenderer.
 */
export type StudioBridge = {
  [M in Method]: (request: RequestOf<M>, options?: BridgeCallOptions<M>) => Promise<BridgeResult<ResponseOf<M>>>;
} & {
  cancel(jobId: string): void;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Paths of dropped File objects (via webUtils.getPathForFile), which main then allows as roots.
   * Files not from the OS (made in JS) have no path and are left out.
   */
  allowDroppedFiles(files: readonly object[]): Promise<string[]>;
};
