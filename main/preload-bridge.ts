import type { IpcRendererEvent, WebUtils } from 'electron';
import { methods, type EventName, type EventPayload, type Method } from '../shared/contract';
import type { BridgeCallOptions, BridgeResult, StudioBridge } from '../shared/contract/bridge';
import { ServerMessage } from '../shared/contract/wire';
import { isErrorData, toErrorData } from '../shared/errors';
import { IPC } from './ipc-channels';

/** The ipcRenderer methods the bridge uses (kept inside the preload, never exposed). Electron's ipcRenderer fits. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

let nextId = 1;

/**
 * Builds `window.studio`: one named method per contract method, `cancel`, `on` and
 * `allowDroppedFiles`. The renderer never gets ipcRenderer; every call goes through the single
 * `studio:call` channel, where main checks the sender and validates the payload.
 */
export function buildBridge(ipcRenderer: IpcRendererLike, webUtils: Pick<WebUtils, 'getPathForFile'>): StudioBridge {
  const progressListeners = new Map<string, (progress: never) => void>();
  const eventListeners = new Map<string, Set<(payload: never) => void>>();

  ipcRenderer.on(IPC.message, (_event: IpcRendererEvent, raw: unknown) => {
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'progress') {
      progressListeners.get(message.id)?.(message.progress as never);
    } else if (message.type === 'event') {
      for (const listener of eventListeners.get(message.name) ?? []) listener(message.payload as never);
    }
  });

  async function call(method: Method, request: unknown, options: BridgeCallOptions<Method> = {}) {
    const id = options.jobId ?? `bridge-${nextId++}`;
    if (options.onProgress) progressListeners.set(id, options.onProgress as (progress: never) => void);
    try {
      const result: unknown = await ipcRenderer.invoke(IPC.call, { type: 'call', id, method, params: request });
      return asBridgeResult(result);
    } catch (error) {
      return { ok: false, error: toErrorData(error) } as const;
    } finally {
      progressListeners.delete(id);
    }
  }

  const calls = Object.fromEntries(
    methods.map((method) => [method, (request: unknown, options?: BridgeCallOptions<Method>) => call(method, request, options)]),
  ) as { [M in Method]: StudioBridge[M] };

  const bridge = {
    ...calls,
    cancel(jobId: string): void {
      ipcRenderer.send(IPC.cancel, jobId);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = eventListeners.get(event) ?? new Set();
      eventListeners.set(event, set);
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
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

/** Checks the shape main answered with; anything else becomes an INTERNAL error result. */
function asBridgeResult(value: unknown): BridgeResult<never> {
  const result = value as { ok?: unknown; value?: unknown; error?: unknown } | null;
  if (result && result.ok === true) return { ok: true, value: result.value as never };
  if (result && result.ok === false && isErrorData(result.error)) return { ok: false, error: result.error };
  return { ok: false, error: { code: 'INTERNAL', message: 'Unexpected reply from the Transfer Studio main process.' } };
}
