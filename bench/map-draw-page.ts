/**
 * The in-page half of bench/map-draw.ts, bundled by esbuild with the renderer's map modules and run in Chromium:
 * `globalThis.measureMap(xs, ys, classOf)` times a full redraw (and, as the baseline, one drawn as canvas paths), hover hit-tests (grid index and a linear scan)
 * and a lasso selection, each the median of several runs.
 */
import { drawMap } from '../renderer/src/lib/map/draw';
import { HitIndex } from '../renderer/src/lib/map/hit-index';
import { lassoSelect } from '../renderer/src/lib/map/lasso';
import { boundsOf, fitView, toData } from '../renderer/src/lib/map/view-transform';

const WIDTH = 1100;
const HEIGHT = 460;
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#332288'];

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function measureMap(xs: number[], ys: number[], classOf: number[]) {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  document.body.append(canvas);
  const ctx = canvas.getContext('2d')!;
  const n = xs.length;
  const bounds = boundsOf(xs, ys);
  const view = fitView(bounds, WIDTH, HEIGHT);
  const scene = {
    xs,
    ys,
    classOf,
    flags: Uint8Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 1 : i % 211 === 0 ? 2 : 0)),
    out: new Uint8Array(n),
    selected: new Uint8Array(n),
    colours: [...COLOURS, '#88CCEE'],
    theme: { marker: '#1b1f24', faint: '#8a929c', accent: '#2f6fde', background: '#ffffff' },
    hovered: 5,
    lasso: [],
  };
  const draws: number[] = [];
  for (let k = 0; k < 25; k++) {
    const start = performance.now();
    drawMap(ctx, scene, view, WIDTH, HEIGHT, 1);
    ctx.getImageData(0, 0, 1, 1); // waits until the drawing is done
    draws.push(performance.now() - start);
  }

  // Baseline: the same scene drawn as canvas paths (colours a dot layer cannot parse take that way).
  const rgbStrings = scene.colours.map((hex) => {
    const v = Number.parseInt(hex.slice(1), 16);
    return `rgb(${(v >> 16) & 255} ${(v >> 8) & 255} ${v & 255})`;
  });
  const paths: number[] = [];
  for (let k = 0; k < 9; k++) {
    const start = performance.now();
    drawMap(ctx, { ...scene, colours: rgbStrings }, view, WIDTH, HEIGHT, 1);
    ctx.getImageData(0, 0, 1, 1);
    paths.push(performance.now() - start);
  }

  const index = new HitIndex(xs, ys, bounds);
  const radius = 6 / view.scale;
  const queries = Array.from({ length: 2000 }, (_, q) => toData(view, (q * 37) % WIDTH, (q * 53) % HEIGHT));
  let sink = 0;
  const perQuery = (run: () => void) => {
    const samples: number[] = [];
    for (let k = 0; k < 7; k++) {
      const start = performance.now();
      run();
      samples.push(((performance.now() - start) * 1000) / queries.length);
    }
    return median(samples);
  };
  const hover1kIndexMs = perQuery(() => {
    for (const q of queries) sink += index.nearest(q.x, q.y, radius);
  });
  const hover1kLinearMs = perQuery(() => {
    for (const q of queries) {
      let best = -1;
      let bestD = radius * radius;
      for (let i = 0; i < n; i++) {
        const d = (xs[i]! - q.x) ** 2 + (ys[i]! - q.y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      sink += best;
    }
  });

  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  const r = Math.min(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) / 4;
  const polygon = Array.from({ length: 60 }, (_, k) => ({
    x: cx + r * Math.cos((k / 60) * 2 * Math.PI),
    y: cy + r * Math.sin((k / 60) * 2 * Math.PI),
  }));
  const lassos: number[] = [];
  let lassoed = 0;
  for (let k = 0; k < 9; k++) {
    const start = performance.now();
    lassoed = lassoSelect(polygon, xs, ys, index).length;
    lassos.push(performance.now() - start);
  }
  return {
    drawMs: median(draws),
    drawPathsMs: median(paths),
    hover1kIndexMs,
    hover1kLinearMs,
    lassoMs: median(lassos),
    lassoed,
    sink,
  };
}

(globalThis as { measureMap?: typeof measureMap }).measureMap = measureMap;
