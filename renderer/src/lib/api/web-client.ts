import type { EventName, EventPayload, Method, RequestOf, ResponseOf } from '../../../../shared/contract';
import { StudioError } from '../../../../shared/errors';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../../../shared/rpc/limits';
import { RpcClient } from '../../../../shared/rpc/rpc-client';
import type { CallOptions, StudioClient } from './client';

/**
 * Browser mode: the contract over a WebSocket to `transfer-studio serve`, authenticated by the
 * token in the page URL. Calls made before the socket opens are queued.
 */
export class WebClient implements StudioClient {
  readonly kind = 'web';
  private readonly core: RpcClient;
  private readonly socket: WebSocket;
  private readonly queue: string[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.core = new RpcClient({
      post: (message) => {
        const text = JSON.stringify(message);
        checkMessageSize(text);
        if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
        else this.queue.push(text);
      },
    });
    this.socket.addEventListener('open', () => {
      for (const text of this.queue.splice(0)) this.socket.send(text);
    });
    this.socket.addEventListener('message', (event) => {
      try {
        this.core.receive(JSON.parse(String(event.data)));
      } catch {
        // not JSON: ignore
      }
    });
    this.socket.addEventListener('close', (event) => {
      const limit = MAX_SOCKET_MESSAGE_BYTES;
      const tooBig = `Transfer Studio closed the connection: a message was over its ${limit}-byte limit.`;
      const lost =
        event.code === 1009
          ? tooBig
          : 'Lost the connection to Transfer Studio. Is `transfer-studio serve` still running?';
      this.core.disconnect(new StudioError('ENGINE_UNAVAILABLE', lost));
    });
  }

  /** The WebSocket URL for the current page: same host, token from `?token=`. */
  static urlFor(location: Location): string {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    return `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
  }

  call<M extends Method>(method: M, request: RequestOf<M>, options: CallOptions<M> = {}): Promise<ResponseOf<M>> {
    return this.core.call(method, request, options);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.core.on(event, listener);
  }

  /** A browser never reveals where a dropped file lives, so drops cannot become folders here. */
  allowDroppedFiles(_files: readonly File[]): Promise<string[]> {
    return Promise.reject(
      new StudioError(
        'UNSUPPORTED',
        'Dropping folders works in the desktop app only; in the browser, use "Browse folders…".',
      ),
    );
  }
}

/**
 * Refuses a message the server would refuse (it closes the socket on one over the limit).
 * @throws StudioError BAD_INPUT naming the size and the limit.
 */
export function checkMessageSize(text: string): void {
  if (text.length * 3 <= MAX_SOCKET_MESSAGE_BYTES) return; // UTF-8 needs at most 3 bytes per UTF-16 unit
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_SOCKET_MESSAGE_BYTES) {
    const limit = MAX_SOCKET_MESSAGE_BYTES;
    const why = `The request is ${bytes} bytes; Transfer Studio accepts messages of at most ${limit} bytes (8 MiB).`;
    throw new StudioError('BAD_INPUT', why, { bytes, limit });
  }
}
