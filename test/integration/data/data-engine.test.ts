import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanSummary } from '../../../shared/contract/data';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { FASHION_CLASSES, fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { writeBrokenCorpus } from '../../fixtures/generated';

const run = promisify(execFile);
const engine = new EngineLink(forkEngine({ log: new PassThrough().resume() }));
let tmp: string;
let fashion: string;
let cacheDir: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-data-int-'));
  cacheDir = path.join(tmp, 'project cache');
  fashion = await fashionMnistFolders({ perClass: 20 });
});
afterAll(async () => {
  await engine.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('Fashion-MNIST fixture', () => {
  it('has ten class folders of 20 real 28×28 PNGs', async () => {
    const classes = (await readdir(fashion, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(classes).toEqual([...FASHION_CLASSES].sort());
    const files = await readdir(path.join(fashion, 'Trouser'));
    expect(files.length).toBe(20);
    const meta = await sharp(path.join(fashion, 'Trouser', files[0]!)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 28, 28]);
  });
});

describe('data calls through a real engine process', () => {
  let summary: ScanSummary;

  it('data.scan streams progress and returns the report', async () => {
    const progress: Record<string, unknown>[] = [];
    summary = ScanSummary.parse(
      await engine.call(
        'data.scan',
        { spec: { sources: [{ path: fashion, mode: 'parent' }] }, cacheDir, options: { minSide: 28 } },
        { onProgress: (p) => progress.push(p) },
      ),
    );
    expect(summary.classes).toEqual(
      [...FASHION_CLASSES].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, count: 20 })),
    );
    expect(summary.problems).toEqual([]);
    expect(summary.canTrain).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ filesSeen: 200, imagesOk: 200 });
    const lines = (await readFile(summary.recordsFile, 'utf8')).trim().split('\n');
    expect(lines.length).toBe(200);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      width: 28,
      height: 28,
      format: 'png',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('data.split reports per-split and per-class counts from the cached records', async () => {
    const split = (await engine.call('data.split', { scanId: summary.scanId, cacheDir, seed: 3 })) as {
      counts: { train: number; validation: number; test: number };
      perClass: { name: string; train: number }[];
      splitFile: string;
    };
    expect(split.counts.train + split.counts.validation + split.counts.test).toBe(200);
    expect(split.perClass.length).toBe(10);
    expect(split.counts.train).toBeGreaterThan(110);
    expect((await readFile(split.splitFile, 'utf8')).trim().split('\n').length).toBe(200);
  });

  it('data.thumbnail, data.preprocessPreview and data.augmentPreview return real images', async () => {
    const file = path.join(fashion, 'Bag', (await readdir(path.join(fashion, 'Bag')))[0]!);
    const thumb = (await engine.call('data.thumbnail', { path: file, cacheDir })) as {
      base64: string;
      file: string;
      width: number;
    };
    expect((await sharp(Buffer.from(thumb.base64, 'base64')).metadata()).format).toBe('jpeg');
    expect(thumb.width).toBe(28); // never enlarged
    const preview = (await engine.call('data.preprocessPreview', { path: file, options: { size: 96 } })) as {
      base64: string;
    };
    const meta = await sharp(Buffer.from(preview.base64, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 96, 96, 3]);
    const request = { path: file, count: 4, seed: 9, options: { size: 64 } };
    const grid = (await engine.call('data.augmentPreview', request)) as { images: { base64: string }[] };
    const again = (await engine.call('data.augmentPreview', request)) as { images: { base64: string }[] };
    expect(grid.images.length).toBe(4);
    expect(again.images.map((i) => i.base64)).toEqual(grid.images.map((i) => i.base64));
    expect(new Set(grid.images.map((i) => i.base64)).size).toBe(4);
  });

  it('data.cacheInfo and data.clearCache', async () => {
    const info = (await engine.call('data.cacheInfo', { cacheDir })) as {
      bytes: number;
      byKind: Record<string, { files: number }>;
    };
    expect(info.byKind.thumbnails!.files).toBeGreaterThanOrEqual(200);
    const cleared = (await engine.call('data.clearCache', { cacheDir, kinds: ['thumbnails'] })) as {
      freedBytes: number;
    };
    expect(cleared.freedBytes).toBeGreaterThan(0);
    const after = (await engine.call('data.cacheInfo', { cacheDir })) as { byKind: Record<string, { files: number }> };
    expect(after.byKind.thumbnails!.files).toBe(0);
    expect(after.byKind.scans!.files).toBeGreaterThan(0);
  });

  it('a scan can be cancelled', async () => {
    const controller = new AbortController();
    // A fresh cache (no file index) and the folder three times: far more work than one progress tick.
    const sources = [1, 2, 3].map(() => ({ path: fashion, mode: 'parent' as const }));
    const pending = engine.call(
      'data.scan',
      { spec: { sources }, cacheDir: path.join(tmp, 'cancel cache') },
      {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('bad requests are refused with the field named', async () => {
    await expect(
      engine.call('data.split', { scanId: 'x', fractions: { train: 0.5, validation: 0.1, test: 0.1 } }),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(engine.call('data.preprocessPreview', { path: path.join(tmp, 'missing.png') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('transfer-studio scan', () => {
  it('--json prints the report of a broken corpus', async () => {
    const corpus = await writeBrokenCorpus(path.join(tmp, 'broken corpus'));
    const { stdout } = await run(process.execPath, [
      'bin/transfer-studio.js',
      'scan',
      corpus.root,
      '--json',
      '--cache-dir',
      cacheDir,
    ]);
    const report = ScanSummary.parse(JSON.parse(stdout));
    expect(report.classes.map((c) => c.name)).toEqual(['mixed', 'other']);
    expect(new Set(report.problems.map((p) => p.kind))).toEqual(
      new Set([
        'zero-byte',
        'not-an-image',
        'wrong-extension',
        'corrupt',
        'unsupported-format',
        'decompression-bomb',
        'tiny',
        'animated',
      ]),
    );
    expect(report.duplicates.map((d) => d.kind).sort()).toEqual(['duplicate', 'label-conflict']);
  });

  it('several folders, each one class, with a readable report', async () => {
    const { stdout } = await run(process.execPath, [
      'bin/transfer-studio.js',
      'scan',
      path.join(fashion, 'Bag'),
      path.join(fashion, 'Sandal'),
      '--cache-dir',
      cacheDir,
    ]);
    expect(stdout).toMatch(/40 usable images in 2 classes/);
    expect(stdout).toMatch(/Bag\s+20/);
    expect(stdout).toMatch(/tiny/); // 28 px < 32
    expect(stdout).toMatch(/Ready to train\./);
  });
});
