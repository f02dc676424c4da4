import type { ServerMessage } from '../../shared/contract/wire';
import { contract, isMethod, parseRequest, type EngineMethod } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import { RpcServer, type ServeContext } from '../../shared/rpc/rpc-server';
import type { JobContext } from './handler';
import type { EngineHandlers } from './handlers';
import { Throttle } from './throttle';

/**
 * The engine's end of the link to its host: an {@link RpcServer} (parsing, calls in flight, cancel as
 * an AbortSignal) whose calls are the engine handlers, with each request parsed by the contract and
 * each job's progress throttled.
 */
export class Dispatcher {
  private readonly server: RpcServer<AbortSignal>;

  /**
   * @param handlers one per engine method.
   * @param send posts a message to the host.
   * @param progressIntervalMs minimum time between progress messages of one job. Default: 125.
   */
  constructor(
    private readonly handlers: EngineHandlers,
    send: (message: ServerMessage) => void,
    private readonly progressIntervalMs = 125,
  ) {
    const serve = (method: string, params: unknown, context: ServeContext<AbortSignal>) =>
      this.run(method, params, context);
    this.server = new RpcServer(serve, send, () => new AbortController());
  }

  /** Number of calls and jobs in flight. */
  get inFlight(): number {
    return this.server.inFlight;
  }

  /** Handles one message from the host, parsed from `unknown`. */
  handle(raw: unknown): void {
    void this.server.receive(raw);
  }

  private async run(method: string, params: unknown, { signal, progress }: ServeContext<AbortSignal>) {
    if (!isMethod(method) || contract[method].runsIn !== 'engine') {
      throw new StudioError('UNKNOWN_METHOD', `The engine has no method ${JSON.stringify(method)}.`);
    }
    const request = parseRequest(method, params);
    const handler = this.handlers[method as EngineMethod] as (
      request: unknown,
      context: JobContext<unknown>,
    ) => Promise<unknown>;
    const throttle = new Throttle<Record<string, unknown>>(progress, this.progressIntervalMs);
    try {
      const value = await handler(request, {
        signal,
        progress: (p, options) => {
          if (options?.milestone) throttle.pushNow(p as Record<string, unknown>);
          else throttle.push(p as Record<string, unknown>);
        },
      });
      throttle.flush();
      return value;
    } catch (error) {
      throttle.cancel();
      throw error;
    }
  }
}
