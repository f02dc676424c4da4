/**
 * `npm run bench -- map [--json] [--points N] [--large N] [--no-plain]` (format: DESIGN.md §9).
 * The embedding map (main/engine/insight/embedding-map.ts `embedMap`: L2-normalize, randomized PCA to 50,
 * exact kNN by blocked matrix products, seeded UMAP) on real images: Fashion-MNIST (Debian's
 * dataset-fashion-mnist, train set, classes interleaved), each image's 784 pixels / 255 as its feature row.
 * - mapSeconds: `--points` (default 5,000) rows through embedMap; target < 10 s.
 * - pca2dSeconds: the same rows projected on their first two principal components (the cheap baseline).
 * - plainUmapSeconds: umap-js on the raw rows with its own neighbour search (NN-descent), no PCA pre-step,
 *   the same epochs and seed (skipped with --no-plain).
 * - largeMapSeconds: `--large` (default 20,000; 0 skips) rows through embedMap.
 * - *Neighbours10: the share of each point's 10 nearest neighbours on the 2-D map that have its class (a map
 *   that keeps classes apart scores high; chance is ~0.1 with ten balanced classes).
 * - drawMs (drawPathsMs), hover1kIndexMs (hover1kLinearMs), lassoMs: the renderer's map code in Chromium
 *   (bench/map-draw.ts) on `--draw`
 *   points (default 20,000): the large map's coordinates when it was computed, else the PCA-2D ones (0 skips).
 * Ratios (ours over the baseline, same run): mapVsPca2d (time), mapVsPlainUmap (time), largeVsMapPerPoint,
 * hoverIndexVsLinear (a hover through the grid index over a linear scan of every point), drawPixelsVsPaths (a redraw
 * with the dots written as pixels over one with a canvas path per dot).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UMAP } from 'umap-js';
import { measureDraw } from './map-draw';
import { printReport } from './report';
import { backendReady } from '../main/engine/runtime';
import { defaultEpochs, embedMap, normalizeRows } from '../main/engine/insight/embedding-map';
import { projectPca } from '../main/engine/insight/pca';
import { createRandom } from '../main/engine/random';

const FASHION = '/usr/share/datasets/fashion-mnist';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} takes a whole number of points; received ${JSON.stringify(process.argv[i + 1])}.`);
  }
  return value;
}

/** The idx.gz file's payload after its header. */
function readIdx(file: string): Uint8Array {
  const raw = gunzipSync(readFileSync(file));
  const rank = raw[3]!;
  return raw.subarray(4 + 4 * rank);
}

/** The first `n` Fashion-MNIST training images as 784-float rows (pixels / 255), with their labels. */
function fashion(n: number): { features: Float32Array; labels: Uint8Array } {
  const pixels = readIdx(path.join(FASHION, 'train-images-idx3-ubyte.gz'));
  const labels = readIdx(path.join(FASHION, 'train-labels-idx1-ubyte.gz'));
  if (n > labels.length)
    throw new Error(`--points/--large ${n}: Fashion-MNIST's train set has ${labels.length} images.`);
  const features = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) features[i] = pixels[i]! / 255;
  return { features, labels: labels.slice(0, n) };
}

/** Share of each point's 10 nearest 2-D neighbours with its label (brute force; n ≤ 20,000 keeps it quick). */
function neighbours10(x: ArrayLike<number>, y: ArrayLike<number>, labels: Uint8Array): number {
  const n = labels.length;
  const k = 10;
  let same = 0;
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    bestD.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (x[j]! - x[i]!) ** 2 + (y[j]! - y[i]!) ** 2;
      if (d >= bestD[k - 1]!) continue;
      let p = k - 1;
      while (p > 0 && bestD[p - 1]! > d) {
        bestD[p] = bestD[p - 1]!;
        bestI[p] = bestI[p - 1]!;
        p--;
      }
      bestD[p] = d;
      bestI[p] = j;
    }
    for (let p = 0; p < k; p++) if (labels[bestI[p]!] === labels[i]) same++;
  }
  return same / (n * k);
}

const seconds = (start: number) => (performance.now() - start) / 1000;

const points = option('--points', 5000);
const large = option('--large', 20_000);
const drawPoints = option('--draw', 20_000);
const plain = !process.argv.includes('--no-plain');
const human = !process.argv.includes('--json');
const say = (line: string) => human && console.error(line);

const backend = await backendReady();
const data = fashion(Math.max(points, large, drawPoints));
const rows = data.features.subarray(0, points * 784);
const labels = data.labels.subarray(0, points);

say(`embedMap on ${points} Fashion-MNIST images…`);
let start = performance.now();
const map = await embedMap(rows, 784, { seed: 42 });
const mapSeconds = seconds(start);

say('PCA to 2-D…');
start = performance.now();
const pca = projectPca(normalizeRows(rows, 784), 784, { components: 2, seed: 42 });
const pca2dSeconds = seconds(start);
const pcaX = Array.from({ length: points }, (_, i) => pca.rows[i * 2]!);
const pcaY = Array.from({ length: points }, (_, i) => pca.rows[i * 2 + 1]!);

const results: Record<string, number> = { points, mapSeconds, pca2dSeconds };
const units: Record<string, 's' | 'ms'> = { mapSeconds: 's', pca2dSeconds: 's' };
const ratios: Record<string, number> = { mapVsPca2d: mapSeconds / pca2dSeconds };

if (plain) {
  say('umap-js without the PCA pre-step…');
  const unit = normalizeRows(rows, 784);
  const matrix = Array.from({ length: points }, (_, i) => Array.from(unit.subarray(i * 784, (i + 1) * 784)));
  start = performance.now();
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: 15,
    minDist: 0.1,
    random: createRandom(42),
    nEpochs: defaultEpochs(points),
  });
  const embedding = umap.fit(matrix);
  results.plainUmapSeconds = seconds(start);
  units.plainUmapSeconds = 's';
  ratios.mapVsPlainUmap = mapSeconds / results.plainUmapSeconds;
  results.plainUmapNeighbours10 = neighbours10(
    embedding.map((p) => p[0]!),
    embedding.map((p) => p[1]!),
    labels,
  );
}

results.mapNeighbours10 = neighbours10(map.x, map.y, labels);
results.pca2dNeighbours10 = neighbours10(pcaX, pcaY, labels);

let big: { x: number[]; y: number[] } | undefined;
if (large > 0) {
  say(`embedMap on ${large} images…`);
  start = performance.now();
  big = await embedMap(data.features.subarray(0, large * 784), 784, { seed: 42 });
  results.largePoints = large;
  results.largeMapSeconds = seconds(start);
  units.largeMapSeconds = 's';
  ratios.largeVsMapPerPoint = results.largeMapSeconds / large / (mapSeconds / points);
  if (big.x.length !== large) throw new Error(`embedMap returned ${big.x.length} points for ${large}.`);
}

if (drawPoints > 0) {
  say(`Drawing and hit-testing ${drawPoints} points in Chromium…`);
  let xs: number[];
  let ys: number[];
  if (big && big.x.length >= drawPoints) {
    xs = big.x.slice(0, drawPoints);
    ys = big.y.slice(0, drawPoints);
  } else {
    const flat = projectPca(normalizeRows(data.features.subarray(0, drawPoints * 784), 784), 784, { components: 2 });
    xs = Array.from({ length: drawPoints }, (_, i) => flat.rows[i * 2]!);
    ys = Array.from({ length: drawPoints }, (_, i) => flat.rows[i * 2 + 1]!);
  }
  const times = await measureDraw(xs, ys, Array.from(data.labels.subarray(0, drawPoints)));
  Object.assign(results, { drawPoints, ...times });
  Object.assign(units, { drawMs: 'ms', drawPathsMs: 'ms', hover1kIndexMs: 'ms', hover1kLinearMs: 'ms', lassoMs: 'ms' });
  ratios.hoverIndexVsLinear = times.hover1kIndexMs / times.hover1kLinearMs;
  ratios.drawPixelsVsPaths = times.drawMs / times.drawPathsMs;
}

printReport({ bench: 'map', backend: backend.name, units, results, ratios });
