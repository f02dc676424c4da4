import { ClientMessage, type ServerMessage } from '../../shared/contract/wire';
import { contract, isMethod, parseRequest, pathsOf, type HostMethod, type ParsedRequestOf, type ResponseOf } from '../../shared/contract';
import { StudioError, toErrorData } from '../../shared/errors';
import type { EngineHost } from '../engine-host/engine-host';
import type { AllowedRoots } from './roots';

export type HostHandlers = { [M in HostMethod]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> };

/**
 * The host's front door, shared by Electron IPC and the WebSocket server: parses each message
 * from `unknown`, validates the request with the contract's schema, checks user paths against
 * the allowed roots, then answers host calls itself and forwards engine calls and jobs.
 */
export class HostRouter {
  constructor(
    private readonly engine: EngineHost,
    private readonly roots: AllowedRoots,
    private readonly hostHandlers: HostHandlers,
  ) {}

  /**
   * Handles one client message. `reply` receives the result and any progress messages.
   * Request ids are namespaced by `clientId` so two windows or sockets cannot collide.
   */
  async handle(raw: unknown, reply: (message: ServerMessage) => void, clientId = 'c'): Promise<void> {
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string') {
        reply({ type: 'result', id, ok: false, error: { code: 'INVALID_REQUEST', message: 'Malformed message.' } });
      }
      return;
    }
    const message = parsed.data;
    const engineId = `${clientId}:${message.id}`;
    if (message.type === 'cancel') {
      this.engine.cancel(engineId);
      return;
    }
    try {
      const value = await this.dispatch(message.method, message.params, engineId, (progress) =>
        reply({ type: 'progress', id: message.id, progress }),
      );
      reply({ type: 'result', id: message.id, ok: true, value });
    } catch (error) {
      reply({ type: 'result', id: message.id, ok: false, error: toErrorData(error) });
    }
  }

  private async dispatch(
    method: string,
    params: unknown,
    engineId: string,
    onProgress: (progress: Record<string, unknown>) => void,
  ): Promise<unknown> {
    if (!isMethod(method)) throw new StudioError('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(method)}.`);
    const request = parseRequest(method, params);
    for (const userPath of pathsOf(method, request)) this.roots.check(userPath);
    const spec = contract[method];
    if (spec.runsIn === 'host') {
      const handler = this.hostHandlers[method as HostMethod] as (request: unknown) => Promise<unknown>;
      return handler(request);
    }
    return this.engine.call(method, request, { id: engineId, onProgress });
  }
}
