import type { EngineStatusEvent } from '../../shared/contract/events';
import { ServerMessage } from '../../shared/contract/wire';
import { StudioError, isErrorData } from '../../shared/errors';
import type { EngineExit, EngineProcess, SpawnEngine } from './engine-process';

export interface CallOptions {
  /** Request id; give one to cancel later. Default: a fresh id. */
  id?: string;
  /** Receives the job's progress messages. Default: none. */
  onProgress?: (progress: Record<string, unknown>) => void;
  /** Aborting sends a cancel to the engine; the call then rejects with CANCELLED. Default: none. */
  signal?: AbortSignal;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: StudioError) => void;
  onProgress?: (progress: Record<string, unknown>) => void;
}

/**
 * The host's side of the engine: starts it on first use, matches replies to requests, forwards
 * progress, turns an engine death into ENGINE_CRASHED for every pending call, and starts a fresh
 * engine on the next call. Used by Electron main, the server and the CLI alike.
 */
export class EngineHost {
  private engine: EngineProcess | undefined;
  private ready: Promise<EngineProcess> | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private stopping = false;

  /**
   * @param spawn starts an engine process.
   * @param onStatus told of each lifecycle change (for the UI's banner). Default: ignore.
   */
  constructor(
    private readonly spawn: SpawnEngine,
    private readonly onStatus: (status: EngineStatusEvent) => void = () => undefined,
  ) {}

  /** Process id of the running engine, if any. */
  get pid(): number | undefined {
    return this.engine?.pid;
  }

  /** Sends a call (or job) and resolves with its value, or rejects with a StudioError. */
  async call(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    const id = options.id ?? `h${this.nextId++}`;
    if (this.pending.has(id)) throw new StudioError('INVALID_REQUEST', `Request id ${JSON.stringify(id)} is in use.`);
    if (options.signal?.aborted) throw new StudioError('CANCELLED', `${method} was cancelled.`);
    const engine = await this.start();
    return new Promise((resolve, reject) => {
      const onAbort = () => this.cancel(id);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (value) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        onProgress: options.onProgress,
      });
      engine.send({ type: 'call', id, method, params });
    });
  }

  /** Asks the engine to cancel a running job; it rejects with CANCELLED after its current step. */
  cancel(id: string): void {
    if (this.pending.has(id)) this.engine?.send({ type: 'cancel', id });
  }

  /** Starts the engine if it is not running; resolves once it says it is ready. */
  start(): Promise<EngineProcess> {
    this.stopping = false;
    this.ready ??= new Promise<EngineProcess>((resolve, reject) => {
      this.onStatus({ state: 'starting' });
      let engine: EngineProcess;
      try {
        engine = this.spawn();
      } catch (error) {
        this.ready = undefined;
        const message = error instanceof Error ? error.message : String(error);
        reject(new StudioError('ENGINE_UNAVAILABLE', `The engine could not be started: ${message}`));
        return;
      }
      this.engine = engine;
      let isReady = false;
      engine.onMessage((raw) => {
        const message = ServerMessage.safeParse(raw);
        if (!message.success) return;
        const data = message.data;
        if (data.type === 'event') {
          if (data.name === 'engine.ready' && !isReady) {
            isReady = true;
            this.onStatus({ state: 'ready', pid: engine.pid });
            resolve(engine);
          }
          return;
        }
        const pending = this.pending.get(data.id);
        if (!pending) return;
        if (data.type === 'progress') {
          pending.onProgress?.(data.progress);
          return;
        }
        this.pending.delete(data.id);
        if (data.ok) pending.resolve(data.value);
        else {
          const error = isErrorData(data.error)
            ? StudioError.fromData(data.error)
            : new StudioError('INTERNAL', data.error.message, data.error.details);
          pending.reject(error);
        }
      });
      engine.onExit((exit) => {
        if (this.engine === engine) {
          this.engine = undefined;
          this.ready = undefined;
        }
        const error = this.crashError(exit);
        if (!isReady) reject(error);
        for (const [id, pending] of this.pending) {
          this.pending.delete(id);
          pending.reject(error);
        }
        this.onStatus(
          this.stopping ? { state: 'stopped' } : { state: 'crashed', message: error.message, pid: engine.pid },
        );
      });
    });
    return this.ready;
  }

  /** Stops the running engine (pending calls reject) and starts a new one. */
  async restart(): Promise<number | undefined> {
    await this.stop();
    const engine = await this.start();
    return engine.pid;
  }

  /** Stops the engine; pending calls reject with ENGINE_CRASHED. Resolves when it has exited. */
  async stop(): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => engine.onExit(() => resolve()));
    engine.kill();
    await exited;
  }

  private crashError(exit: EngineExit): StudioError {
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    const message = this.stopping
      ? 'The engine was stopped before the call finished.'
      : `The engine stopped unexpectedly (${how}). Your project is safe; the engine restarts on the next action.`;
    return new StudioError('ENGINE_CRASHED', message, { code: exit.code, signal: exit.signal, stderr: exit.detail });
  }
}
