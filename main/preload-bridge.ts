import type { IpcRendererEvent, WebUtils } from 'electron';
import { methods, type EventName, type EventPayload, type Method } from '../shared/contract';
import type { BridgeCallOptions, StudioBridge } from '../shared/contract/bridge';
import { isErrorData, toErrorData } from '../shared/errors';
import { RpcClient } from '../shared/rpc/rpc-client';
import type { CallResult } from '../shared/rpc/rpc-server';
import { IPC } from './ipc-channels';

/** The ipcRenderer methods the bridge uses (kept inside the preload, never exposed). Electron's ipcRenderer fits. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

/**
 * Builds `window.studio`: one named method per contract method, `cancel`, `on` and
 * `allowDroppedFiles`. The renderer never gets ipcRenderer; every call goes through the single
 * `studio:call` channel, where main checks the sender and validates the payload. The RPC
 * bookkeeping (ids, progress routing, events) is the shared {@link RpcClient}; this file only maps
 * its messages onto the three IPC channels.
 */
export function buildBridge(ipcRenderer: IpcRendererLike, webUtils: Pick<WebUtils, 'getPathForFile'>): StudioBridge {
  const client: RpcClient = new RpcClient({
    idPrefix: 'bridge-',
    post: (message) => {
      if (message.type === 'cancel') {
        ipcRenderer.send(IPC.cancel, message.id);
        return;
      }
      // The invoke's answer is the call's result; its progress comes on IPC.message meanwhile.
      ipcRenderer.invoke(IPC.call, message).then(
        (answer) => client.receive(asResultMessage(message.id, answer)),
        (error: unknown) => client.receive({ type: 'result', id: message.id, ok: false, error: toErrorData(error) }),
      );
    },
  });
  ipcRenderer.on(IPC.message, (_event: IpcRendererEvent, raw: unknown) => client.receive(raw));

  async function call(method: Method, request: unknown, options: BridgeCallOptions<Method> = {}) {
    try {
      const value = await client.send(method, request, { id: options.jobId, onProgress: options.onProgress });
      return { ok: true, value } as const;
    } catch (error) {
      return { ok: false, error: toErrorData(error) } as const;
    }
  }

  const calls = Object.fromEntries(
    methods.map((method) => [
      method,
      (request: unknown, options?: BridgeCallOptions<Method>) => call(method, request, options),
    ]),
  ) as { [M in Method]: StudioBridge[M] };

  const bridge = {
    ...calls,
    cancel(jobId: string): void {
      client.cancel(jobId);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return client.on(event, listener);
    },
    async allowDroppedFiles(files: readonly object[]): Promise<string[]> {
      const paths: string[] = [];
      for (const file of files) {
        let filePath = '';
        try {
          filePath = webUtils.getPathForFile(file as File);
        } catch {
          // Not a File, or made in JS: it has no path on disk.
        }
        if (filePath) paths.push(filePath);
      }
      if (paths.length === 0) return [];
      const allowed: unknown = await ipcRenderer.invoke(IPC.allowDropped, paths);
      return Array.isArray(allowed) ? allowed.filter((p): p is string => typeof p === 'string') : [];
    },
  } satisfies StudioBridge;
  return bridge;
}

/** Checks the shape main answered an invoke with; anything else becomes an INTERNAL error result. */
function asResultMessage(id: string, answer: unknown): CallResult {
  const result = answer as { ok?: unknown; value?: unknown; error?: unknown } | null;
  if (result && result.ok === true) return { type: 'result', id, ok: true, value: result.value };
  if (result && result.ok === false && isErrorData(result.error)) {
    return { type: 'result', id, ok: false, error: result.error };
  }
  const error = { code: 'INTERNAL' as const, message: 'Unexpected reply from the Transfer Studio main process.' };
  return { type: 'result', id, ok: false, error };
}
