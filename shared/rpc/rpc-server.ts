import { describeIssues } from '../contract';
import { ClientMessage, type CallMessage, type ServerMessage } from '../contract/wire';
import { StudioError, toErrorData, type StudioErrorData } from '../errors';
import type { AbortSignalLike } from './platform';

/** A call's result message, with its error typed as the StudioErrorData it always is. */
export type CallResult =
  | { type: 'result'; id: string; ok: true; value: unknown }
  | { type: 'result'; id: string; ok: false; error: StudioErrorData };

/** What a served call is given besides its method and params. */
export interface ServeContext<Signal extends AbortSignalLike = AbortSignalLike> {
  /** Aborts when the client cancels the call or disconnects. */
  signal: Signal;
  /** Sends a progress message to the caller (plain numbers and short labels). */
  progress: (progress: Record<string, unknown>) => void;
}

/** Answers one call: resolves with its value or throws (a StudioError keeps its code). */
export type Serve<Signal extends AbortSignalLike = AbortSignalLike> = (
  method: string,
  params: unknown,
  context: ServeContext<Signal>,
) => Promise<unknown>;

/** An AbortController as the server uses it (the DOM's and Node's both fit). */
export interface AbortControllerLike<Signal extends AbortSignalLike = AbortSignalLike> {
  readonly signal: Signal;
  abort(): void;
}

/** The runtime's own AbortController (shared/ cannot name its type). */
function globalAbortController(): AbortControllerLike {
  const Controller = (globalThis as unknown as { AbortController: new () => AbortControllerLike }).AbortController;
  return new Controller();
}

/**
 * The server half of the one RPC protocol, for one connection (a window, a browser tab, the engine's
 * link to its host): parses messages from `unknown`, runs calls concurrently, keeps the table of calls
 * in flight with their AbortControllers, turns cancel into an abort, refuses a duplicate id, and
 * {@link close} aborts every call still running (cancel-on-disconnect). The transport only moves messages.
 */
export class RpcServer<Signal extends AbortSignalLike = AbortSignalLike> {
  private readonly running = new Map<string, AbortControllerLike<Signal>>();

  /**
   * @param serve answers a call.
   * @param send posts progress messages and (from {@link receive}) results back to this client.
   * @param newController makes the AbortController of each call (Node code passes
   *   `() => new AbortController()` to get typed AbortSignals). Default: the runtime's AbortController.
   */
  constructor(
    private readonly serve: Serve<Signal>,
    private readonly send: (message: ServerMessage) => void,
    private readonly newController = globalAbortController as () => AbortControllerLike<Signal>,
  ) {}

  /** Number of calls in flight. */
  get inFlight(): number {
    return this.running.size;
  }

  /**
   * Handles one message from `unknown`: a call runs and its result is sent; a cancel aborts that call.
   * A malformed message carrying a string id is answered INVALID_REQUEST; others are dropped.
   * Resolves once the message is dealt with (for a call: once its result is sent).
   */
  async receive(raw: unknown): Promise<void> {
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      if (typeof id === 'string') {
        const why = `Malformed message: ${describeIssues(parsed.error)}`;
        this.send(failure(id, new StudioError('INVALID_REQUEST', why)));
      }
      return;
    }
    const message = parsed.data;
    if (message.type === 'cancel') this.cancel(message.id);
    else this.send(await this.call(message));
  }

  /** Runs one parsed call, sending its progress; resolves with its result message (never rejects). */
  async call(message: CallMessage): Promise<CallResult> {
    const { id } = message;
    if (this.running.has(id)) {
      const why = `Duplicate request id ${JSON.stringify(id)}: it is still running.`;
      return failure(id, new StudioError('INVALID_REQUEST', why));
    }
    const controller = this.newController();
    this.running.set(id, controller);
    try {
      const value = await this.serve(message.method, message.params, {
        signal: controller.signal,
        progress: (progress) => {
          if (this.running.get(id) === controller) this.send({ type: 'progress', id, progress });
        },
      });
      return { type: 'result', id, ok: true, value };
    } catch (error) {
      return failure(id, error);
    } finally {
      this.running.delete(id);
    }
  }

  /** Aborts the call with this id, if it is running. */
  cancel(id: string): void {
    this.running.get(id)?.abort();
  }

  /** The client is gone: aborts every call still running so no work goes on for nobody. */
  close(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}

function failure(id: string, error: unknown): CallResult {
  return { type: 'result', id, ok: false, error: toErrorData(error) };
}
