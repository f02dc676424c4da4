/**
 * The map's drawing and hit-testing measured in Debian Chromium (playwright-core), with the renderer's own modules
 * bundled by esbuild (bench/map-draw-page.ts) into a bare page with an 1100 × 460 canvas: median time of a full
 * redraw (and of one drawn as canvas paths, the baseline), of a hover hit-test through the grid index and, as the baseline, through a linear scan of every point, and
 * of a lasso selection of the middle of the map.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Median milliseconds of each operation. */
export interface DrawTimes {
  drawMs: number;
  /** The same redraw with every dot a canvas path (the baseline). */
  drawPathsMs: number;
  /** 1,000 hover hit-tests. */
  hover1kIndexMs: number;
  hover1kLinearMs: number;
  lassoMs: number;
  /** Points the lasso selected (a check that it selects). */
  lassoed: number;
}

/** Runs the measurements for points (`xs`, `ys`) of class `classOf`. */
export async function measureDraw(xs: number[], ys: number[], classOf: number[]): Promise<DrawTimes> {
  const bundle = await build({
    entryPoints: [path.join(here, 'map-draw-page.ts')],
    bundle: true,
    format: 'iife',
    write: false,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 600 } });
    await page.setContent('<!doctype html><title>map</title>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    // A string, not a function: the tsx loader would add helpers the page does not have.
    const times = (await page.evaluate(
      `globalThis.measureMap(${JSON.stringify(xs)}, ${JSON.stringify(ys)}, ${JSON.stringify(classOf)})`,
    )) as DrawTimes & { sink: number };
    const { sink: _sink, ...result } = times;
    return result;
  } finally {
    await browser.close();
  }
}
