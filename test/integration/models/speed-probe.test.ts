/**
 * The quick speed probe on the bundled MobileNetV2: real extraction (ORT or tfjs), one short real head epoch and
 * one short real fine-tune epoch on generated image files; the figures land in the store, tensors are freed, and a
 * cancel stops it. The catalog reachability check against real HTTP servers on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureSpeed } from '../../../main/engine/models/speed/speed-probe';
import { readSpeeds } from '../../../main/engine/models/speed/speed-store';
import { catalogReachable } from '../../../main/engine/models/bases/reachable';
import { backendReady } from '../../../main/engine/runtime';
import { StudioError } from '../../../shared/errors';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'speed-probe-'));
  await backendReady();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('speed probe', () => {
  it('measures extraction, head rows and fine-tuning of the bundled MobileNetV2, records them, frees its tensors', async () => {
    const storeFile = path.join(dir, 'speeds.json');
    const stages: string[] = [];
    const before = tf.memory().numTensors;
    const speed = await measureSpeed('nsfwjs-mobilenet-v2', {
      signal: new AbortController().signal,
      storeFile,
      batches: 2,
      onProgress: (p) => stages.push(p.stage),
    });
    expect(tf.memory().numTensors).toBe(before);
    const extract = speed.extract?.onnxruntime ?? speed.extract?.tfjs;
    expect(extract?.perSecond).toBeGreaterThan(1);
    expect(extract?.from).toBe('probe');
    expect(speed.headRows!.perSecond).toBeGreaterThan(extract!.perSecond);
    expect(speed.fineTune!.perSecond).toBeGreaterThan(0);
    // Fine-tuning (forward + backward on tfjs) is slower than frozen extraction.
    expect(speed.fineTune!.perSecond).toBeLessThan(extract!.perSecond);
    expect(new Set(stages)).toEqual(new Set(['load', 'extract', 'head', 'fine-tune']));
    expect((await readSpeeds(storeFile)).speeds['nsfwjs-mobilenet-v2']).toEqual(speed);
    console.log(
      `probe: extract ${extract!.perSecond.toFixed(1)} img/s (${speed.extract?.onnxruntime ? 'onnxruntime' : 'tfjs'}), ` +
        `head ${speed.headRows!.perSecond.toFixed(0)} rows/s, fine-tune ${speed.fineTune!.perSecond.toFixed(1)} img/s`,
    );
  });

  it('is cancellable: an aborted probe ends CANCELLED, records nothing, frees its tensors', async () => {
    const storeFile = path.join(dir, 'cancelled.json');
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const probe = measureSpeed('nsfwjs-mobilenet-v2', {
      signal: controller.signal,
      storeFile,
      onProgress: (p) => {
        if (p.stage === 'extract') controller.abort();
      },
    });
    await expect(probe).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tf.memory().numTensors).toBe(before);
    expect((await readSpeeds(storeFile)).speeds).toEqual({});
  });

  it('refuses a catalog base that is not downloaded (a probe never downloads)', async () => {
    const probe = measureSpeed('tm-mobilenet-v2-0.35', {
      signal: new AbortController().signal,
      storeFile: path.join(dir, 'x.json'),
    });
    await expect(probe).rejects.toBeInstanceOf(StudioError);
    await expect(probe).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('catalog reachability', () => {
  async function server(status: number): Promise<{ url: string; close: () => Promise<void> }> {
    const s = http.createServer((_, res) => {
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const { port } = s.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/model.json`, close: () => new Promise((r) => s.close(() => r())) };
  }

  it('reachable when the server answers, not when it says 404 or nobody listens', async () => {
    const ok = await server(200);
    const missing = await server(404);
    try {
      expect(await catalogReachable({ url: ok.url })).toEqual({ reachable: true, host: new URL(ok.url).host });
      const notFound = await catalogReachable({ url: missing.url });
      expect(notFound.reachable).toBe(false);
      expect(notFound.message).toMatch(/HTTP 404/);
    } finally {
      await ok.close();
      await missing.close();
    }
    const gone = await catalogReachable({ url: ok.url, timeoutMs: 2000 });
    expect(gone.reachable).toBe(false);
    expect(gone.message).toMatch(/Cannot reach 127\.0\.0\.1:\d+.*ECONNREFUSED/);
  });
});
