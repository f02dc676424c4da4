import { statSync } from 'node:fs';
import path from 'node:path';
import type { WebContents, WebFrameMain } from 'electron';
import { z } from 'zod';
import { describeIssues } from '../shared/contract';
import type { BridgeResult } from '../shared/contract/bridge';
import type { EventName, EventPayload } from '../shared/contract/events';
import { CallMessage, type ServerMessage } from '../shared/contract/wire';
import { StudioError, type StudioErrorData } from '../shared/errors';
import type { AllowedRoots } from './gateway/roots';
import type { RpcServer } from '../shared/rpc/rpc-server';
import type { Gateway } from './gateway/gateway';
import { IPC } from './ipc-channels';
import { isOwnPage } from './window';

/** The frame facts the sender check reads. */
export type FrameLike = Pick<WebFrameMain, 'url' | 'processId' | 'routingId'>;
/** The webContents facts ipc.ts uses. */
export type SenderLike = Pick<WebContents, 'id' | 'send' | 'isDestroyed'> & { readonly mainFrame: FrameLike };
/** An IpcMainEvent / IpcMainInvokeEvent as far as ipc.ts reads it. */
export interface IpcEventLike {
  readonly sender: SenderLike;
  readonly senderFrame: FrameLike | null;
}
/** The two ipcMain methods used (Electron's ipcMain satisfies this). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}
/** The window whose main frame may call us. */
export interface WindowLike {
  readonly webContents: SenderLike;
  isDestroyed(): boolean;
}

export interface IpcOptions {
  /** Folders the renderer may read; dropped paths are added here. */
  roots: AllowedRoots;
  /** file:// URL of our page (see window.ts pageUrlOf): the only page allowed to call. */
  pageUrl: string;
}

export interface IpcRegistration {
  /** Cancels every job still running for a webContents (its window closed or reloaded). */
  cancelClient(webContentsId: number): void;
}

const JobId = z.string().min(1).max(100);
const DroppedPaths = z.array(z.string().min(1).max(4096)).max(1000);

function sameFrame(a: FrameLike, b: FrameLike): boolean {
  return a === b || (a.processId === b.processId && a.routingId === b.routingId);
}

/**
 * Why a message's sender is refused, or undefined when it is the main frame of our window
 * showing our page. Subframes, other windows and navigated-away pages are all refused.
 */
export function senderRejection(event: IpcEventLike, win: WindowLike | undefined, pageUrl: string): string | undefined {
  if (!win || win.isDestroyed()) return 'Transfer Studio has no window to accept calls from.';
  if (event.sender !== win.webContents) return 'Calls are accepted from the Transfer Studio window only.';
  const frame = event.senderFrame;
  if (!frame || !sameFrame(frame, event.sender.mainFrame)) {
    return 'Calls are accepted from the main frame of the Transfer Studio window only.';
  }
  if (!isOwnPage(frame.url, pageUrl)) return `Calls are not accepted from ${JSON.stringify(frame.url)}.`;
  return undefined;
}

function failure(error: StudioErrorData): BridgeResult<never> {
  return { ok: false, error };
}

/** Sends a host event (e.g. engine.status) to the window's renderer, if it is still there. */
export function sendEvent<E extends EventName>(win: WindowLike | undefined, name: E, payload: EventPayload<E>): void {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  const message: ServerMessage = { type: 'event', name, payload };
  win.webContents.send(IPC.message, message);
}

/**
 * Wires the renderer's three channels to the Gateway, one gateway connection per webContents:
 * - `studio:call` (invoke): the sender is checked, the CallMessage parsed from `unknown`, progress is
 *   sent back on `studio:message`, and the invoke resolves with `{ok, value | error}`.
 * - `studio:cancel` (send): cancels a job of that webContents (`cancelClient` cancels all of them).
 * - `studio:allow-dropped` (invoke): existing absolute paths become allowed roots.
 * A refused sender gets an error; nothing it sent reaches the gateway or the roots.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  gateway: Gateway,
  getWindow: () => WindowLike | undefined,
  { roots, pageUrl }: IpcOptions,
): IpcRegistration {
  const connections = new Map<number, RpcServer>();
  const connectionOf = (sender: SenderLike): RpcServer => {
    let connection = connections.get(sender.id);
    if (!connection) {
      connection = gateway.connect((message) => {
        if (!sender.isDestroyed()) sender.send(IPC.message, message);
      });
      connections.set(sender.id, connection);
    }
    return connection;
  };

  ipcMain.handle(IPC.call, async (event, raw): Promise<BridgeResult<unknown>> => {
    const rejection = senderRejection(event, getWindow(), pageUrl);
    if (rejection) return failure({ code: 'INVALID_REQUEST', message: rejection });
    const parsed = CallMessage.safeParse(raw);
    if (!parsed.success) {
      return failure({
        code: 'INVALID_REQUEST',
        message: `Malformed call message: ${describeIssues(parsed.error)}`,
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
      });
    }
    const reply = await connectionOf(event.sender).call(parsed.data);
    return reply.ok ? { ok: true, value: reply.value } : failure(reply.error);
  });

  ipcMain.on(IPC.cancel, (event, raw) => {
    if (senderRejection(event, getWindow(), pageUrl)) return;
    const id = JobId.safeParse(raw);
    if (!id.success) return;
    connections.get(event.sender.id)?.cancel(id.data);
  });

  ipcMain.handle(IPC.allowDropped, async (event, raw): Promise<string[]> => {
    const rejection = senderRejection(event, getWindow(), pageUrl);
    if (rejection) throw new StudioError('INVALID_REQUEST', rejection);
    const parsed = DroppedPaths.safeParse(raw);
    if (!parsed.success) {
      throw new StudioError(
        'INVALID_REQUEST',
        `Dropped paths must be a list of strings: ${describeIssues(parsed.error)}`,
      );
    }
    return allowDropped(roots, parsed.data);
  });

  return {
    cancelClient(webContentsId) {
      connections.get(webContentsId)?.close();
      connections.delete(webContentsId);
    },
  };
}

/**
 * Allows each dropped path that is absolute and exists (a folder, or a single file: the path itself
 * is allowed, not its parent folder, so dropping one image does not open its whole folder).
 * Returns the canonical paths allowed; others are left out.
 */
export function allowDropped(roots: AllowedRoots, paths: readonly string[]): string[] {
  const allowed: string[] = [];
  for (const dropped of paths) {
    if (!path.isAbsolute(dropped)) continue;
    let stats;
    try {
      stats = statSync(dropped);
    } catch {
      continue;
    }
    if (!stats.isDirectory() && !stats.isFile()) continue;
    const canonical = roots.add(dropped);
    if (!allowed.includes(canonical)) allowed.push(canonical);
  }
  return allowed;
}
