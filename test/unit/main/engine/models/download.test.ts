import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadModel, readRecord, type DownloadProgress } from '../../../../../main/engine/models/bases/download';
import { fileSystemLoader, fileSystemSaver } from '../../../../../main/engine/models/io/fs-handler';
import type { StudioError } from '../../../../../shared/errors';

/** Files served per URL path; a request counter per path. */
const files = new Map<string, Buffer>();
const hits = new Map<string, number>();
/** Range headers received, per path. */
const ranges = new Map<string, string[]>();
let server: http.Server;
let origin = '';
let work = '';

function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '';
  hits.set(url, (hits.get(url) ?? 0) + 1);
  if (req.headers.range) ranges.set(url, [...(ranges.get(url) ?? []), req.headers.range]);
  if (url.startsWith('/stall/')) return; // never answers
  const body = files.get(url);
  if (!body) {
    res.writeHead(404).end('not found');
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start >= body.length && body.length > 0) {
    res.writeHead(416).end();
    return;
  }
  const part = body.subarray(start);
  res.writeHead(range ? 206 : 200, {
    'content-length': part.length,
    ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
  });
  if (url.startsWith('/drop/') && url.endsWith('.bin') && hits.get(url) === 1) {
    // First request: send half the file, then drop the connection.
    res.write(part.subarray(0, part.length >> 1), () => setTimeout(() => res.socket?.destroy(), 100));
    return;
  }
  res.end(part);
}

async function publish(prefix: string, dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) files.set(`/${prefix}/${name}`, await fs.readFile(path.join(dir, name)));
}

let modelDir = '';
let expected: Float32Array[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-download-'));
  modelDir = path.join(work, 'src');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, name: 'conv' }),
      tf.layers.globalAveragePooling2d({ name: 'pool' }),
      tf.layers.dense({ units: 300, name: 'fc' }),
    ],
  });
  await model.save(fileSystemSaver(modelDir));
  expected = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  await publish('ok', modelDir);
  await publish('drop', modelDir);
  files.set('/garbage/model.json', Buffer.from('<html><body>Sign in to continue</body></html>'));
  files.set('/garbage-shard/model.json', files.get('/ok/model.json')!);
  files.set('/garbage-shard/weights.bin', Buffer.from('this is not a weight file'));
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(work, { recursive: true, force: true });
});

const dest = (name: string) => path.join(work, 'cache', name);
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as StudioError,
  );

describe('downloadModel on a local server', () => {
  it('downloads model.json and shards with progress, records sha256, and the model loads with the same weights', async () => {
    const progress: DownloadProgress[] = [];
    const record = await downloadModel(`${origin}/ok/model.json`, dest('ok'), { onProgress: (p) => progress.push(p) });
    expect(record.files.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
    expect(record.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    const last = progress.at(-1)!;
    expect(last.phase).toBe('verifying');
    expect(last.bytes).toBe(last.totalBytes);
    expect(last.totalBytes).toBe(files.get('/ok/weights.bin')!.length);
    expect(await readRecord(dest('ok'))).toEqual(record);

    const model = await tf.loadLayersModel(fileSystemLoader(path.join(dest('ok'), 'model.json')));
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(expected.map((w) => Array.from(w)));
    model.dispose();

    // Reuse: no new request, files checked against the record.
    const before = hits.get('/ok/weights.bin');
    await downloadModel(`${origin}/ok/model.json`, dest('ok'));
    expect(hits.get('/ok/weights.bin')).toBe(before);
  });

  it('resumes with an HTTP Range request after the connection drops mid-file', async () => {
    const record = await downloadModel(`${origin}/drop/model.json`, dest('drop'));
    expect(hits.get('/drop/weights.bin')).toBe(2);
    const size = files.get('/drop/weights.bin')!.length;
    expect(ranges.get('/drop/weights.bin')).toEqual([`bytes=${size >> 1}-`]);
    expect(record.files.find((f) => f.name === 'weights.bin')!.bytes).toBe(size);
    const ok = await readRecord(dest('ok'));
    expect(record.files[1]!.sha256).toBe(ok!.files[1]!.sha256);
  });

  it('keeps the partial file when every attempt fails, and resumes from it next time', async () => {
    hits.delete('/drop/weights.bin');
    const error = await errorOf(downloadModel(`${origin}/drop/model.json`, dest('drop-once'), { attempts: 1 }));
    expect(error?.code).toBe('NETWORK');
    expect(error?.message).toMatch(/connection to 127\.0\.0\.1:\d+ broke|cut off/);
    const partial = (await fs.stat(path.join(dest('drop-once'), 'weights.bin.part'))).size;
    expect(partial).toBeGreaterThan(0);
    await downloadModel(`${origin}/drop/model.json`, dest('drop-once'), { attempts: 1 });
    expect((await fs.stat(path.join(dest('drop-once'), 'weights.bin'))).size).toBe(
      files.get('/drop/weights.bin')!.length,
    );
  });

  it('detects a cached file that changed since download (sha256 mismatch)', async () => {
    await downloadModel(`${origin}/ok/model.json`, dest('tamper'));
    const shard = path.join(dest('tamper'), 'weights.bin');
    const bytes = await fs.readFile(shard);
    bytes[10] = bytes[10]! ^ 0xff;
    await fs.writeFile(shard, bytes);
    const error = await errorOf(downloadModel(`${origin}/ok/model.json`, dest('tamper')));
    expect(error?.code).toBe('BAD_INPUT');
    expect(error?.message).toMatch(/does not match its sha256 recorded at download/);
  });

  it('refuses content that differs from the sha256 pinned at first download', async () => {
    const pinsFile = path.join(work, 'pins-mutable.json');
    files.set('/mutable/model.json', files.get('/ok/model.json')!);
    files.set('/mutable/weights.bin', files.get('/ok/weights.bin')!);
    await downloadModel(`${origin}/mutable/model.json`, dest('mutable-1'), { pinsFile });
    const changed = Buffer.from(files.get('/ok/weights.bin')!);
    changed[0] = changed[0]! ^ 1;
    files.set('/mutable/weights.bin', changed);
    const error = await errorOf(downloadModel(`${origin}/mutable/model.json`, dest('mutable-2'), { pinsFile }));
    expect(error?.message).toMatch(/weights\.bin" changed since it was first downloaded/);
  });

  it('says "not a model" for garbage model.json and rejects garbage shards', async () => {
    const garbage = await errorOf(downloadModel(`${origin}/garbage/model.json`, dest('garbage')));
    expect(garbage?.code).toBe('BAD_INPUT');
    expect(garbage?.message).toMatch(/is not a model: .* not JSON \(starts with "<html><body>Sign in/);
    const shard = await errorOf(downloadModel(`${origin}/garbage-shard/model.json`, dest('garbage-shard')));
    expect(shard?.code).toBe('BAD_INPUT');
    expect(shard?.message).toMatch(
      /are 25 bytes but its model.json describes \d+: the files are truncated or not weights/,
    );
    await expect(fs.stat(path.join(dest('garbage-shard'), 'weights.bin'))).rejects.toThrow();
  });

  it('explains 404, offline and stalled servers', async () => {
    const missing = await errorOf(downloadModel(`${origin}/nothing/model.json`, dest('404')));
    expect(missing?.code).toBe('NOT_FOUND');
    expect(missing?.message).toBe(`The server has no file at "${origin}/nothing/model.json" (HTTP 404).`);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = await errorOf(
      downloadModel(`http://127.0.0.1:${port}/model.json`, dest('offline'), { attempts: 1 }),
    );
    expect(offline?.code).toBe('NETWORK');
    expect(offline?.message).toBe(
      `Cannot reach 127.0.0.1:${port}: you seem to be offline, or the server is down (ECONNREFUSED).`,
    );

    const stalled = await errorOf(
      downloadModel(`${origin}/stall/model.json`, dest('stall'), { attempts: 1, idleTimeoutMs: 300 }),
    );
    expect(stalled?.code).toBe('NETWORK');
    expect(stalled?.message).toMatch(/^The download from 127\.0\.0\.1:\d+ stalled: no data for 0 s/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await errorOf(
      downloadModel(`${origin}/ok/model.json`, dest('cancel'), { signal: controller.signal }),
    );
    expect(error?.code).toBe('CANCELLED');
  });
});
