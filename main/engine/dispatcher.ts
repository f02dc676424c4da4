import { ClientMessage, type ServerMessage } from '../../shared/contract/wire';
import { contract, isMethod, parseRequest, type EngineMethod } from '../../shared/contract';
import { StudioError, toErrorData } from '../../shared/errors';
import type { JobContext } from './handler';
import type { EngineHandlers } from './handlers';
import { Throttle } from './throttle';

/**
 * Routes host messages to handlers: parses every message and request from `unknown`,
 * runs calls and jobs concurrently, throttles progress, and turns cancel into an AbortSignal.
 */
export class Dispatcher {
  private readonly running = new Map<string, AbortController>();

  /**
   * @param handlers one per engine method.
   * @param send posts a message to the host.
   * @param progressIntervalMs minimum time between progress messages of one job. Default: 125.
   */
  constructor(
    private readonly handlers: EngineHandlers,
    private readonly send: (message: ServerMessage) => void,
    private readonly progressIntervalMs = 125,
  ) {}

  /** Number of calls and jobs in flight. */
  get inFlight(): number {
    return this.running.size;
  }

  handle(raw: unknown): void {
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string';
      if (id) this.fail((raw as { id: string }).id, new StudioError('INVALID_REQUEST', 'Malformed message.'));
      return;
    }
    const message = parsed.data;
    if (message.type === 'cancel') {
      this.running.get(message.id)?.abort();
      return;
    }
    void this.run(message.id, message.method, message.params);
  }

  private async run(id: string, method: string, params: unknown): Promise<void> {
    if (this.running.has(id)) {
      this.fail(id, new StudioError('INVALID_REQUEST', `Duplicate request id ${JSON.stringify(id)}.`));
      return;
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    const throttle = new Throttle<Record<string, unknown>>(
      (progress) => this.send({ type: 'progress', id, progress }),
      this.progressIntervalMs,
    );
    try {
      if (!isMethod(method) || contract[method].runsIn !== 'engine') {
        throw new StudioError('UNKNOWN_METHOD', `The engine has no method ${JSON.stringify(method)}.`);
      }
      const request = parseRequest(method, params);
      const handler = this.handlers[method as EngineMethod] as (
        request: unknown,
        context: JobContext<unknown>,
      ) => Promise<unknown>;
      const value = await handler(request, {
        signal: controller.signal,
        progress: (progress) => throttle.push(progress as Record<string, unknown>),
      });
      throttle.flush();
      this.send({ type: 'result', id, ok: true, value });
    } catch (error) {
      throttle.cancel();
      this.fail(id, error);
    } finally {
      this.running.delete(id);
    }
  }

  private fail(id: string, error: unknown): void {
    this.send({ type: 'result', id, ok: false, error: toErrorData(error) });
  }
}
