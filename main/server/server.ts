import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineStatusEvent } from '../../shared/contract/events';
import type { ServerMessage } from '../../shared/contract/wire';
import { EngineLink } from '../engine-link/engine-link';
import type { SpawnEngine } from '../engine-link/engine-process';
import { forkEngine } from '../engine-link/fork';
import { createHostHandlers } from '../gateway/host-handlers';
import { AllowedRoots } from '../gateway/roots';
import { Gateway } from '../gateway/gateway';
import { appRoot } from '../node/app-root';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../shared/rpc/limits';
import { contentSecurityPolicy, isAllowedOrigin, tokenMatches, tokenOf } from './security';
import { describeSocketError } from './socket-errors';
import { serveStatic } from './static-files';
import { serveExportZip } from './export-zip';

export interface ServeOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default: 0. */
  port?: number;
  /** Folders the browser may read. Default: none. */
  roots?: string[];
  /** The built renderer. Default: out/renderer of the app. */
  rendererDir?: string;
  /** Starts engines. Default: child_process.fork of the built engine. */
  spawn?: SpawnEngine;
  /** Access token. Default: 32 random bytes, base64url. */
  token?: string;
  /** Receives one line for each client connection that failed (a bad frame, a reset). Default: stderr. */
  log?: (line: string) => void;
}

export interface StudioServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  engine: EngineLink;
  close(): Promise<void>;
}

/**
 * Browser mode: serves the renderer build and the contract over WebSocket on 127.0.0.1 only.
 * Every request needs the token (query once, then an HttpOnly cookie); the WebSocket also needs
 * our own Origin, so other sites open in the same browser cannot drive the engine.
 */
export async function startServer(options: ServeOptions = {}): Promise<StudioServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir ?? path.join(appRoot(), 'out', 'renderer'));
  const roots = new AllowedRoots(options.roots ?? []);
  const sockets = new Set<WebSocket>();
  const broadcast = (message: ServerMessage) => {
    const text = JSON.stringify(message);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  };
  const engine = new EngineLink(options.spawn ?? forkEngine(), (status: EngineStatusEvent) =>
    broadcast({ type: 'event', name: 'engine.status', payload: status }),
  );
  const gateway = new Gateway(engine, roots, createHostHandlers({ engine, roots }));
  let port = 0;

  const http = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end('Internal error');
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (!isAllowedHost(request.headers.host, port)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: unexpected Host header.');
      return;
    }
    if (!tokenMatches(tokenOf(request, url), token)) {
      response
        .writeHead(403, { 'Content-Type': 'text/plain' })
        .end('Forbidden: open the URL with its token, as printed by `transfer-studio serve`.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    response.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Set-Cookie', `ts_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
    if (await serveExportZip(url, roots, response)) return;
    if (await serveStatic(rendererDir, url.pathname, response)) return;
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  }

  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  wss.on('error', (error) => log(`WebSocket server error: ${error.message}`));
  let nextClient = 1;
  http.on('upgrade', (request, socket, head) => {
    // A reset during the handshake must not take the server down.
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const allowed =
      url.pathname === '/ws' &&
      isAllowedHost(request.headers.host, port) &&
      isAllowedOrigin(request.headers.origin, port) &&
      tokenMatches(tokenOf(request, url), token);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const client = `client ${nextClient++}`;
      sockets.add(ws);
      // Every socket error is handled: ws closes that client with the right code; the others carry on.
      ws.on('error', (error) => log(describeSocketError(client, error)));
      const connection = gateway.connect((message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      });
      ws.on('message', (data) => {
        let raw: unknown;
        try {
          raw = JSON.parse(data.toString());
        } catch {
          return;
        }
        void connection.receive(raw);
      });
      ws.on('close', () => {
        sockets.delete(ws);
        // A closed tab cannot see results: cancel its jobs so the engine stops working for nobody.
        connection.close();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    engine,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await engine.stop();
    },
  };
}

function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
