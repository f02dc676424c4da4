import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../../shared/rpc/limits';

/**
 * Issue 12, defect 1: one bad WebSocket frame must close only that client, with the right close code,
 * while `transfer-studio serve` and its other clients carry on. Each frame goes over a raw TCP socket
 * to a real `serve` process on 127.0.0.1.
 */
const repo = path.resolve(import.meta.dirname, '..', '..', '..');
let serve: ChildProcess;
let port = 0;
let token = '';
let stderr = '';

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ts-frames-'));
  serve = spawn(
    process.execPath,
    [path.join(repo, 'bin', 'transfer-studio.js'), 'serve', '--port', '0', '--root', root],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  serve.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const url = await new Promise<URL>((resolve, reject) => {
    serve.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)));
    createInterface({ input: serve.stdout! }).on('line', (line) => {
      if (line.startsWith('http://127.0.0.1:')) resolve(new URL(line.trim()));
    });
  });
  port = Number(url.port);
  token = url.searchParams.get('token') ?? '';
});

afterAll(async () => {
  if (serve.exitCode !== null) return;
  const exited = new Promise((resolve) => serve.once('exit', resolve));
  serve.kill('SIGTERM');
  await exited;
});

/** A raw TCP socket that has completed the WebSocket handshake (token and our Origin). */
async function handshake(): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    [
      `GET /ws?token=${token} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  const head = await new Promise<string>((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
  expect(head).toMatch(/^HTTP\/1\.1 101 /);
  return socket;
}

/** Writes `frame` and resolves with the close code of the server's close frame (undefined if none came). */
async function closeCodeAfter(frame: Buffer): Promise<number | undefined> {
  const socket = await handshake();
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.on('error', () => undefined); // the server may reset the connection while we still write
  socket.write(frame);
  await new Promise((resolve) => socket.once('close', resolve));
  // The server's first frame back: 0x88 (FIN + close), a length, then the two-byte code.
  if (received.length < 4 || received[0] !== 0x88) return undefined;
  return received.readUInt16BE(2);
}

/** A client frame: FIN + `opcode` (+ RSV1 when asked), masked unless `masked` is false. */
function frame(payload: Buffer, { opcode = 0x1, rsv1 = false, masked = true, length = payload.length } = {}): Buffer {
  const first = 0x80 | (rsv1 ? 0x40 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** A second client's `host.roots` call answers: the server is still serving. */
async function anotherClientIsAnswered(): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, {
    headers: { Origin: `http://127.0.0.1:${port}` },
  });
  const reply = await new Promise<unknown>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'call', id: '1', method: 'host.roots', params: {} })));
    socket.once('message', (data) => resolve(JSON.parse(String(data))));
  });
  socket.close();
  expect(reply).toMatchObject({ type: 'result', id: '1', ok: true });
}

describe('serve survives bad WebSocket frames', () => {
  const cases: [string, () => Buffer, number][] = [
    [
      'a ~50 MB message (over the limit)',
      // The header announces 50 MB; the server must refuse on the header, before buffering the body.
      () => frame(Buffer.alloc(64 * 1024, 0x61), { length: 50 * 1024 * 1024 }),
      1009,
    ],
    ['a text frame with invalid UTF-8', () => frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ['a frame with RSV1 set (no extension was agreed)', () => frame(Buffer.from('{}'), { rsv1: true }), 1002],
    ['an unmasked frame from the client', () => frame(Buffer.from('{}'), { masked: false }), 1002],
  ];

  for (const [what, make, code] of cases) {
    it(`closes only that client, with code ${code}, on ${what}`, async () => {
      expect(await closeCodeAfter(make())).toBe(code);
      expect(serve.exitCode).toBeNull();
      await anotherClientIsAnswered();
    });
  }

  it('says what the limit is when a message is too big', () => {
    expect(MAX_SOCKET_MESSAGE_BYTES).toBeLessThan(50 * 1024 * 1024);
    expect(stderr).toContain(`larger than the ${MAX_SOCKET_MESSAGE_BYTES}-byte limit`);
    expect(stderr).not.toMatch(/Unhandled 'error' event/);
  });

  it('carries on after random frames (seeded) and valid frames of hostile JSON, answering other clients', async () => {
    // Random bytes after the handshake: whatever the server makes of them, it closes or ignores that client only.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 20; i++) {
      const socket = await handshake();
      socket.on('error', () => undefined);
      socket.write(
        Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256))),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
    }
    expect(serve.exitCode).toBeNull();
    await anotherClientIsAnswered();

    // Well-formed frames whose JSON is hostile: deeply nested (100,000 levels), a call with deeply nested params,
    // a huge array just under the limit. Non-calls are ignored; a call gets its refusal; nothing crashes.
    const depth = 100_000;
    const nestedParams = `{"type":"call","id":"n","method":"host.roots","params":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, {
      headers: { Origin: `http://127.0.0.1:${port}` },
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const replies: { id?: string; ok?: boolean; error?: { code: string } }[] = [];
    socket.on('message', (data) => replies.push(JSON.parse(String(data))));
    socket.send('['.repeat(depth) + ']'.repeat(depth));
    socket.send(`[${'0,'.repeat(MAX_SOCKET_MESSAGE_BYTES / 2 - 8)}0]`);
    socket.send(nestedParams);
    socket.send(JSON.stringify({ type: 'call', id: 'after', method: 'host.roots', params: {} }));
    await expect.poll(() => replies.find((r) => r.id === 'after'), { timeout: 30_000 }).toMatchObject({ ok: true });
    expect(replies.find((r) => r.id === 'n')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    socket.close();
    expect(serve.exitCode).toBeNull();
    expect(stderr).not.toMatch(/Unhandled|RangeError|Maximum call stack/);
    await anotherClientIsAnswered();
  });
});
