import { MAX_SOCKET_MESSAGE_BYTES } from '../../shared/rpc/limits';

/**
 * One line for the server's log about a WebSocket error. ws has already closed that client with the
 * code the protocol asks for (1009 too big, 1007 invalid UTF-8, 1002 protocol error); the server and
 * its other clients carry on.
 */
export function describeSocketError(client: string, error: Error & { code?: string }): string {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return (
      `WebSocket ${client} sent a message larger than the ${MAX_SOCKET_MESSAGE_BYTES}-byte limit (8 MiB); ` +
      'it was closed with code 1009.'
    );
  }
  const code = error.code ? ` (${error.code})` : '';
  return `WebSocket ${client} was closed after an error${code}: ${error.message}`;
}
