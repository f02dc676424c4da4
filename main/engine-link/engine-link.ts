import type { EngineMethod, ProgressOf, RequestOf, ResponseOf } from '../../shared/contract';
import type { EngineStatusEvent } from '../../shared/contract/events';
import { StudioError } from '../../shared/errors';
import { RpcClient, type RpcCallOptions } from '../../shared/rpc/rpc-client';
import type { EngineExit, EngineProcess, SpawnEngine } from './engine-process';

export type { RpcCallOptions as CallOptions } from '../../shared/rpc/rpc-client';

interface RunningEngine {
  process: EngineProcess;
  client: RpcClient;
}

/**
 * The parent's end of the link to the engine process (the gateway, the CLI and the tests use it):
 * starts the engine on first use, speaks the RPC protocol to it through one {@link RpcClient} per
 * process, turns an engine death into ENGINE_CRASHED for every pending call, and starts a fresh
 * engine on the next call. It checks nothing: requests from UIs reach it through the gateway.
 */
export class EngineLink {
  private engine: RunningEngine | undefined;
  private ready: Promise<RunningEngine> | undefined;
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
    return this.engine?.process.pid;
  }

  /** Number of calls sent to the running engine and not answered yet. */
  get pendingCount(): number {
    return this.engine?.client.pendingCount ?? 0;
  }

  /** Sends a call (or job) to the engine; resolves with its value, or rejects with a StudioError. */
  async call<M extends EngineMethod>(
    method: M,
    request: RequestOf<M>,
    options: RpcCallOptions<ProgressOf<M>> = {},
  ): Promise<ResponseOf<M>> {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', `${method} was cancelled.`);
    const { client } = await this.start();
    return client.call(method, request, options);
  }

  /**
   * Forwards a call the gateway has already parsed and checked (its method is a checked engine
   * method, its request the parsed one): the untyped form of {@link call}.
   */
  async forward(method: EngineMethod, request: unknown, options: RpcCallOptions<never> = {}): Promise<unknown> {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', `${method} was cancelled.`);
    const { client } = await this.start();
    return client.send(method, request, options);
  }

  /** Starts the engine if it is not running; resolves once it says it is ready. */
  start(): Promise<RunningEngine> {
    this.stopping = false;
    this.ready ??= new Promise<RunningEngine>((resolve, reject) => {
      this.onStatus({ state: 'starting' });
      let process: EngineProcess;
      try {
        process = this.spawn();
      } catch (error) {
        this.ready = undefined;
        const message = error instanceof Error ? error.message : String(error);
        reject(new StudioError('ENGINE_UNAVAILABLE', `The engine could not be started: ${message}`));
        return;
      }
      const client = new RpcClient({ post: (message) => process.send(message), idPrefix: 'h' });
      const engine: RunningEngine = { process, client };
      this.engine = engine;
      let isReady = false;
      client.on('engine.ready', () => {
        if (isReady) return;
        isReady = true;
        this.onStatus({ state: 'ready', pid: process.pid });
        resolve(engine);
      });
      process.onMessage((raw) => client.receive(raw));
      process.onExit((exit) => {
        if (this.engine === engine) {
          this.engine = undefined;
          this.ready = undefined;
        }
        const error = this.crashError(exit);
        if (!isReady) reject(error);
        client.disconnect(error);
        this.onStatus(
          this.stopping ? { state: 'stopped' } : { state: 'crashed', message: error.message, pid: process.pid },
        );
      });
    });
    return this.ready;
  }

  /** Stops the running engine (pending calls reject) and starts a new one. */
  async restart(): Promise<number | undefined> {
    await this.stop();
    const engine = await this.start();
    return engine.process.pid;
  }

  /** Stops the engine; pending calls reject with ENGINE_CRASHED. Resolves when it has exited. */
  async stop(): Promise<void> {
    const engine = this.engine?.process;
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
