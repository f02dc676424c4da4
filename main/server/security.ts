import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Content-Security-Policy of the served renderer: our own scripts only, WebSocket back to us only. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Constant-time token comparison. */
export function tokenMatches(received: string | undefined | null, token: string): boolean {
  if (!received) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `?token=` or from our cookie. */
export function tokenOf(request: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = request.headers.cookie ?? '';
  return /(?:^|;\s*)ts_token=([A-Za-z0-9_-]+)/.exec(cookie)?.[1];
}

/** Origins allowed to open the WebSocket: this server only. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
