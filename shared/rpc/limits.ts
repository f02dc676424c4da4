/**
 * The largest WebSocket message `transfer-studio serve` accepts, in bytes (8 MiB). A bigger frame closes
 * that client with code 1009; the browser client refuses to send one and says so. Requests are small
 * (images travel as paths, never as bytes), so this is far above any real message.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 8 * 1024 * 1024;
