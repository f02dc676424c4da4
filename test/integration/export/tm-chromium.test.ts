/**
 * The Teachable Machine export, tested the way its users load it: `tmImage.load(modelURL, metadataURL)` of
 * `@teachablemachine/image` 0.8.5 with its own tfjs 1.3.1 (test/clients/teachable-machine, installed by
 * scripts/setup.sh, bundled here with esbuild), in Debian's Chromium, over HTTP on 127.0.0.1, predicting
 * <img> elements of the run's real test images: our labels in our order and the app's top-1 on every image.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/engine/export/run-export';
import { argmax, trainExportRun, type ExportedRun } from './exported-run';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const client = path.join(repo, 'test', 'clients', 'teachable-machine');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

interface Prediction {
  className: string;
  probability: number;
}

describe('Teachable Machine export in Chromium with @teachablemachine/image 0.8.5 and tfjs 1.3.1', () => {
  let tmp = '';
  let run: ExportedRun;
  let server: http.Server;
  let origin = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(path.join(client, 'node_modules', '@teachablemachine', 'image'))) {
      throw new Error(`Teachable Machine's loader is not installed: run scripts/setup.sh (npm ci --prefix ${client}).`);
    }
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM).`);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'export-tm-'));
    run = await trainExportRun(tmp);
    const exported = await runExport({ runDir: run.runDir, formats: ['tm'] });
    expect(exported.ok).toBe(true);
    const bundle = await build({
      entryPoints: [path.join(client, 'entry.js')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const files = new Map<string, { body: Buffer; type: string }>();
    files.set('/', {
      body: Buffer.from('<!doctype html><meta charset="utf-8"><title>tm</title><script src="/tm.js"></script>'),
      type: 'text/html',
    });
    files.set('/tm.js', { body: Buffer.from(bundle.outputFiles[0]!.contents), type: 'text/javascript' });
    for (const file of exported.results[0]!.files) {
      files.set(`/model/${file.path}`, {
        body: await readFile(path.join(exported.results[0]!.dir, file.path)),
        type: file.path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      });
    }
    for (const [index, test] of run.tests.entries())
      files.set(`/images/${index}.png`, { body: await readFile(test.path), type: 'image/png' });
    server = http.createServer((request, response) => {
      const file = files.get(request.url ?? '');
      if (!file) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': file.type }).end(file.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server!.close(resolve));
    await rm(tmp, { recursive: true, force: true });
  });

  it("loads our folder unchanged and agrees with the app's top-1 on every real test image", async () => {
    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(origin);
    const result = await page.evaluate(async (count) => {
      const w = window as unknown as {
        tmImage: {
          load(
            model: string,
            metadata: string,
          ): Promise<{ predict(image: HTMLImageElement): Promise<Prediction[]>; getTotalClasses(): number }>;
        };
        tf: { version: { tfjs: string }; getBackend(): string };
      };
      const model = await w.tmImage.load('/model/model.json', '/model/metadata.json');
      const predictions: Prediction[][] = [];
      for (let i = 0; i < count; i++) {
        const image = new Image();
        image.src = `/images/${i}.png`;
        await image.decode();
        predictions.push(await model.predict(image));
      }
      return { tfjs: w.tf.version.tfjs, backend: w.tf.getBackend(), classes: model.getTotalClasses(), predictions };
    }, run.tests.length);
    expect(problems).toEqual([]);
    expect(result.tfjs).toBe('1.3.1');
    expect(result.classes).toBe(run.classes.length);
    let worst = 0;
    result.predictions.forEach((predictions, index) => {
      const app = run.tests[index]!.probabilities;
      expect(predictions.map((p) => p.className)).toEqual(run.classes);
      expect(argmax(predictions.map((p) => p.probability))).toBe(argmax(app));
      predictions.forEach((p, i) => (worst = Math.max(worst, Math.abs(p.probability - app[i]!))));
    });
    console.log(
      `tm export in Chromium (tfjs ${result.tfjs}, ${result.backend}) vs app on ${run.tests.length} test images: top-1 equal, max |Δp| ${worst.toExponential(2)}`,
    );
    await page.close();
  });
});
