/**
 * `npm run bench -- preprocess [--json]`: images/s of the full preprocessing pipeline
 * (preprocessStream: auto-orient, sRGB, flatten, cover-resize to 224, raw RGB, ordered output with
 * bounded concurrency) against a bare sharp decode-resize loop with the same concurrency, in the
 * same run, on (a) 2,000 Fashion-MNIST PNGs and (b) 200 generated 3000×2000 JPEGs.
 */
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { defaultConcurrency, preprocessStream } from '../main/engine/data/pipeline';
import { fashionMnistFolders, FIXTURES_ROOT } from '../test/fixtures/fashion-mnist';
import { writeLargeJpegs } from '../test/fixtures/generated';
import { printReport } from './report';

const SIZE = 224;
const REPEATS = 5;
const concurrency = defaultConcurrency();

async function listImages(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(png|jpe?g)$/i.test(entry.name)) files.push(path.join(entry.parentPath, entry.name));
  }
  return files.sort();
}

async function largeJpegs(): Promise<string[]> {
  const dir = path.join(FIXTURES_ROOT, 'bench-jpeg-3000x2000-200');
  if (!existsSync(path.join(dir, '.complete'))) {
    await writeLargeJpegs(dir, 200);
    await writeFile(path.join(dir, '.complete'), '');
  }
  return listImages(dir);
}

/** The baseline: sharp decode + resize to 224×224 raw, same window size, no ordering, no extras. */
async function bareSharp(files: string[]): Promise<number> {
  const limit = pLimit(concurrency);
  let bytes = 0;
  await Promise.all(
    files.map((file) =>
      limit(async () => {
        const data = await sharp(file).resize(SIZE, SIZE).raw().toBuffer();
        bytes += data.length;
      }),
    ),
  );
  return bytes;
}

/** The baseline without concurrency (one image at a time), for context. */
async function bareSequential(files: string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) bytes += (await sharp(file).resize(SIZE, SIZE).raw().toBuffer()).length;
  return bytes;
}

async function pipeline(files: string[]): Promise<number> {
  let bytes = 0;
  for await (const item of preprocessStream(files, { size: SIZE }, { concurrency })) {
    if (!item.ok) throw item.error;
    bytes += item.data.length;
  }
  return bytes;
}

async function rate(files: string[], run: (files: string[]) => Promise<number>): Promise<number> {
  const start = performance.now();
  const bytes = await run(files);
  const seconds = (performance.now() - start) / 1000;
  if (bytes !== files.length * SIZE * SIZE * 3)
    throw new Error(`expected ${files.length} images of ${SIZE}×${SIZE}×3, received ${bytes} bytes`);
  return files.length / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * REPEATS rounds; each round runs both variants back to back, alternating which goes first, so
 * drift on a shared machine hits both alike. Rates: median over rounds; the ratio: median of the
 * per-round ratios (each from two runs seconds apart).
 */
async function compare(
  files: string[],
): Promise<{ pipeline: number; bare: number; sequential: number; ratio: number }> {
  await pipeline(files.slice(0, 50));
  await bareSharp(files.slice(0, 50));
  const pipe: number[] = [];
  const bare: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    let p: number;
    let b: number;
    if (i % 2 === 0) {
      b = await rate(files, bareSharp);
      p = await rate(files, pipeline);
    } else {
      p = await rate(files, pipeline);
      b = await rate(files, bareSharp);
    }
    pipe.push(p);
    bare.push(b);
    ratios.push(p / b);
  }
  return {
    pipeline: median(pipe),
    bare: median(bare),
    sequential: await rate(files, bareSequential),
    ratio: median(ratios),
  };
}

const pngs = await listImages(await fashionMnistFolders({ perClass: 200 }));
const jpegs = await largeJpegs();
const png = await compare(pngs);
const jpeg = await compare(jpegs);

printReport({
  bench: 'preprocess',
  backend: `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, window ${concurrency}`,
  units: {
    pngPipeline: 'img/s',
    pngBareSharp: 'img/s',
    pngBareSharpSequential: 'img/s',
    jpegPipeline: 'img/s',
    jpegBareSharp: 'img/s',
    jpegBareSharpSequential: 'img/s',
  },
  results: {
    pngPipeline: png.pipeline,
    pngBareSharp: png.bare,
    pngBareSharpSequential: png.sequential,
    jpegPipeline: jpeg.pipeline,
    jpegBareSharp: jpeg.bare,
    jpegBareSharpSequential: jpeg.sequential,
  },
  ratios: {
    pngPipelineVsBareSharp: png.ratio,
    jpegPipelineVsBareSharp: jpeg.ratio,
  },
});
