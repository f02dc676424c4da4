import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { IpcRendererEvent, UtilityProcess } from 'electron';
import type { EngineProcess, SpawnEngine } from '../../../main/engine-link/engine-process';
import { Dispatcher } from '../../../main/engine/dispatcher';
import type { EngineHandlers } from '../../../main/engine/handlers';
import { systemHandlers } from '../../../main/engine/handlers/system';
import type { FrameLike, IpcEventLike, IpcMainLike, SenderLike, WindowLike } from '../../../main/ipc';

/**
 * Test doubles for the Electron objects the shell is given. They record calls and copy every
 * payload with structuredClone, as Electron's IPC does, so nothing passes by reference.
 */

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/** ipcMain: records `handle` and `on` registrations; `invoke`/`emit` play the renderer's side. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Listener[]>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  /** What `ipcRenderer.invoke` does: runs the handler; a throw becomes a rejection, as in Electron. */
  async invoke(channel: string, event: IpcEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    try {
      return structuredClone(await handler(event, ...structuredClone(args)));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  }

  emit(channel: string, event: IpcEventLike, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...structuredClone(args));
  }
}

/** A frame of a page at `url`. */
export function fakeFrame(url: string, routingId = 1, processId = 4): FrameLike {
  return { url, routingId, processId };
}

/** A webContents whose main frame shows `url`; `sent` records what main sends to it. */
export class FakeSender implements SenderLike {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  mainFrame: FrameLike;
  destroyed = false;
  /** Called for each message sent to this renderer (set by FakeIpcRenderer). */
  deliver?: (channel: string, args: unknown[]) => void;

  constructor(
    readonly id: number,
    url: string,
  ) {
    this.mainFrame = fakeFrame(url);
  }

  send(channel: string, ...args: unknown[]): void {
    const copy = structuredClone(args);
    this.sent.push({ channel, args: copy });
    this.deliver?.(channel, copy);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The event of a message from this webContents' main frame (or from `frame`). */
  event(frame: FrameLike | null = this.mainFrame): IpcEventLike {
    return { sender: this, senderFrame: frame };
  }
}

/** A BrowserWindow as ipc.ts sees it. */
export function fakeWindow(sender: FakeSender): WindowLike & { destroyed: boolean } {
  return {
    webContents: sender,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
  };
}

/** ipcRenderer of one renderer, linked to a FakeIpcMain through its FakeSender. */
export class FakeIpcRenderer {
  private readonly listeners = new Map<string, ((event: IpcRendererEvent, ...args: unknown[]) => void)[]>();
  readonly sent: { channel: string; args: unknown[] }[] = [];

  constructor(
    private readonly main: FakeIpcMain,
    private readonly sender: FakeSender,
  ) {
    sender.deliver = (channel, args) => {
      for (const listener of this.listeners.get(channel) ?? []) listener({} as IpcRendererEvent, ...args);
    };
  }

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.main.invoke(channel, this.sender.event(), ...args);
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    this.main.emit(channel, this.sender.event(), ...args);
  }

  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.length ?? 0;
  }
}

/**
 * The engine without a process: the real Dispatcher and the real system handlers, behind the
 * same asynchronous, structured-clone message link a child process has. Only `system.*` calls
 * are answered (never `system.crash`, which would exit the test runner).
 */
export function inProcessEngine(): SpawnEngine & { spawned: number } {
  const spawn = () => {
    spawn.spawned++;
    const messageListeners: ((message: unknown) => void)[] = [];
    const exitListeners: ((exit: { code: number | null; signal?: string | null }) => void)[] = [];
    let alive = true;
    const post = (message: unknown) => {
      const copy = structuredClone(message);
      setImmediate(() => {
        if (alive) for (const listener of messageListeners) listener(copy);
      });
    };
    const dispatcher = new Dispatcher(systemHandlers as unknown as EngineHandlers, post, 0);
    const engine: EngineProcess = {
      pid: process.pid,
      send: (message) => {
        const copy = structuredClone(message);
        setImmediate(() => {
          if (alive) dispatcher.handle(copy);
        });
      },
      onMessage: (listener) => messageListeners.push(listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!alive) return;
        alive = false;
        setImmediate(() => {
          for (const listener of exitListeners) listener({ code: null, signal: 'SIGTERM' });
        });
      },
    };
    post({ type: 'event', name: 'engine.ready', payload: { pid: process.pid } });
    return engine;
  };
  spawn.spawned = 0;
  return spawn;
}

/**
 * Electron's UtilityProcess played by a real child process (forked with an IPC channel and piped
 * stdio): the same surface (postMessage, 'message', 'exit' with a code, stdout/stderr, pid, kill).
 */
export function utilityProcessOf(child: ChildProcess): UtilityProcess {
  const utility = Object.assign(new EventEmitter(), {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    postMessage: (message: unknown) => child.send(message as object),
    kill: () => child.kill(),
  });
  child.on('message', (message) => utility.emit('message', message));
  child.on('exit', (code, signal) => utility.emit('exit', code ?? (signal ? 143 : 0)));
  return utility as unknown as UtilityProcess;
}
