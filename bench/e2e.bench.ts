/**
 * `npm run bench -- e2e [--json] [--per-class N]` (format: DESIGN.md §9; issue 11's `e2e` benchmark).
 * A folder of Fashion-MNIST images (Debian's set, 200 per class = 2,000 by default) → trained with the default
 * settings on the bundled MobileNetV2 (phase 1; the run ends by scoring its test split) → exported as tfjs and
 * onnx (each verified) — the app's whole main job, through the engine's own functions:
 * - coldSeconds: with empty caches (pixels, features, converted ONNX base: a fresh TRANSFER_STUDIO_CACHE).
 * - warmSeconds: the same again into a new run folder, caches filled.
 * - peakRssMb: the highest resident memory seen (sampled every 100 ms) over both.
 * Ratio: coldOverWarm (what the caches save).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printReport } from './report';
import { fashionMnistFolders } from '../test/fixtures/fashion-mnist';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const perClass = option('--per-class', 200);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-bench-e2e-'));
// Before the engine modules load: every cache of this run (pixels, features, converted bases) starts empty.
process.env.TRANSFER_STUDIO_CACHE = path.join(tmp, 'cache');
const { trainRun } = await import('../main/engine/training/run');
const { runExport } = await import('../main/engine/export/run-export');
const { backendReady } = await import('../main/engine/runtime');

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

/** One whole job; returns its seconds and what it reported. */
async function job(data: string, name: string): Promise<{ seconds: number; valAccuracy: number; extractor: string }> {
  const started = performance.now();
  let extractor = '';
  const run = await trainRun(
    { dirs: [data], runDir: path.join(tmp, name), cacheDir: path.join(tmp, 'cache'), config: { seed: 1 } } as never,
    {
      signal: new AbortController().signal,
      progress: (p) => {
        if (p.extractor) extractor = p.extractor.engine;
      },
    },
  );
  const exported = await runExport({ runDir: run.runDir, formats: ['tfjs', 'onnx'] });
  const failed = exported.results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`export failed: ${JSON.stringify(failed)}`);
  return { seconds: (performance.now() - started) / 1000, valAccuracy: run.valAccuracy, extractor };
}

try {
  const data = await fashionMnistFolders({ perClass });
  const backend = (await backendReady()).name;
  const cold = await job(data, 'cold');
  const warm = await job(data, 'warm');
  clearInterval(sampler);
  if (!process.argv.includes('--json')) {
    console.log(
      `${perClass * 10} images; val accuracy ${cold.valAccuracy.toFixed(3)}; extraction on ${cold.extractor}`,
    );
  }
  printReport({
    bench: 'e2e',
    backend: `${backend} + ${cold.extractor || 'tfjs'} extraction`,
    units: { coldSeconds: 's', warmSeconds: 's', peakRssMb: 'MB', coldImagesPerSecond: 'img/s' },
    results: {
      coldSeconds: cold.seconds,
      warmSeconds: warm.seconds,
      peakRssMb: peakRss / 2 ** 20,
      coldImagesPerSecond: (perClass * 10) / cold.seconds,
    },
    ratios: { coldOverWarm: cold.seconds / warm.seconds },
  });
} finally {
  clearInterval(sampler);
  await rm(tmp, { recursive: true, force: true });
}
