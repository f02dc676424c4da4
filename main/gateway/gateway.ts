import {
  contract,
  isMethod,
  parseRequest,
  pathsOf,
  type EngineMethod,
  type HostMethod,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/contract';
import type { ServerMessage } from '../../shared/contract/wire';
import { StudioError } from '../../shared/errors';
import { RpcServer, type ServeContext } from '../../shared/rpc/rpc-server';
import type { EngineLink } from '../engine-link/engine-link';
import type { AllowedRoots } from './roots';

export type HostHandlers = { [M in HostMethod]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> };

/**
 * The front door for UIs (a desktop window over Electron IPC, a browser tab over WebSocket): parses
 * each request from `unknown` with the contract's schema, checks user paths against the allowed
 * roots, then answers host calls itself and forwards engine calls and jobs over the {@link EngineLink}.
 * Each UI connection is an {@link RpcServer}, so a client's cancel and disconnect reach the engine.
 */
export class Gateway {
  constructor(
    private readonly engine: EngineLink,
    private readonly roots: AllowedRoots,
    private readonly hostHandlers: HostHandlers,
  ) {}

  /**
   * A connection for one UI client: feed it the client's messages (`receive`); it answers through
   * `send`. Call `close()` when the client goes away: its calls still running are cancelled.
   */
  connect(send: (message: ServerMessage) => void): RpcServer<AbortSignal> {
    const serve = (method: string, params: unknown, context: ServeContext<AbortSignal>) =>
      this.serve(method, params, context);
    return new RpcServer(serve, send, () => new AbortController());
  }

  /**
   * Validates, authorizes and answers one call.
   * @throws StudioError UNKNOWN_METHOD, INVALID_REQUEST or PATH_NOT_ALLOWED before anything runs.
   */
  async serve(method: string, params: unknown, { signal, progress }: ServeContext<AbortSignal>): Promise<unknown> {
    if (!isMethod(method)) throw new StudioError('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(method)}.`);
    const request = parseRequest(method, params);
    for (const userPath of pathsOf(method, request)) this.roots.check(userPath);
    if (contract[method].runsIn === 'host') {
      const handler = this.hostHandlers[method as HostMethod] as (request: unknown) => Promise<unknown>;
      return handler(request);
    }
    return this.engine.forward(method as EngineMethod, request, { signal, onProgress: progress });
  }
}
