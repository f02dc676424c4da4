/**
 * `npm run bench -- mislabels [--json] [--draws N]` (format: DESIGN.md §9; issue 13 item 1). The integration test's
 * data — Fashion-MNIST Bag, Sneaker, Trouser, 200 each (offset 600), features of the bundled MobileNetV2 (cached
 * under `.fixtures/bench-cache`) — with 5 % of the labels flipped by N seeded draws (default 8; seed 5 is the
 * test's draw), and once with none. For each draw: the share of the flipped images among the finder's top k
 * (k = number flipped); results: mean and min recall, the suspects on the clean labels, the fewest suspects of a
 * draw, rankMean/MinRecall (the top k of all images by p(given label): how well the probabilities alone rank),
 * seconds per finder run (600 images) and for 3,000 rows (the 600 five times over).
 * `--passes 1` and `--filter noise-rate` measure the finder as it was before the second pass and the global filter.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { printReport } from './report';
import { FIXTURES_ROOT, fashionMnistFolders } from '../test/fixtures/fashion-mnist';
import { sha256File } from '../main/engine/data/hash';
import { resolvePreprocessOptions } from '../main/engine/data/preprocess';
import { loadBase } from '../main/engine/models/bases/registry';
import { DEFAULT_BASE_ID } from '../main/engine/models/bases/bundled';
import { createExtractor } from '../main/engine/onnx/extractor';
import { extractFeatureSet, type LabelledImage } from '../main/engine/training/extract';
import { FeatureCache } from '../main/engine/training/features-cache';
import { createRandom } from '../main/engine/random';
import { backendReady } from '../main/engine/runtime';
import { findLabelIssues } from '../main/engine/insight/confident-learning';
import { outOfFoldProbabilities } from '../main/engine/insight/out-of-fold';

const CLASSES = ['Bag', 'Sneaker', 'Trouser'];
function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const draws = Number(option('--draws') ?? 8);
const passes = Number(option('--passes') ?? 2);
const filter = (option('--filter') ?? 'margin') as 'margin' | 'noise-rate';

/** The finder as inspect.ts runs it (its defaults unless --passes / --filter say otherwise). */
async function findMislabels(features: Float32Array, dim: number, labels: Int32Array, classes: number) {
  const oof = await outOfFoldProbabilities(features, dim, labels, classes, { seed: 42, passes });
  return {
    probabilities: oof.probabilities,
    suspects: findLabelIssues(oof.probabilities, labels, classes, { filter }),
  };
}

async function features(): Promise<{ features: Float32Array; dim: number; labels: Int32Array; names: string[] }> {
  const base = await loadBase(DEFAULT_BASE_ID);
  const extractor = await createExtractor(base.model, base.info, { cacheDir: path.join(FIXTURES_ROOT, 'bench-cache') });
  const cache = new FeatureCache(path.join(FIXTURES_ROOT, 'bench-cache', 'features'), base.info.featureSize);
  const root = await fashionMnistFolders({ perClass: 200, classes: CLASSES, offset: 600 });
  const images: LabelledImage[] = [];
  for (const [label, name] of CLASSES.entries())
    for (const file of (await readdir(path.join(root, name))).sort()) {
      const full = path.join(root, name, file);
      images.push({ path: full, hash: await sha256File(full), label });
    }
  try {
    const set = await extractFeatureSet({
      base,
      images,
      seed: 42,
      preprocess: resolvePreprocessOptions({ size: base.info.inputSize }),
      cache,
      extractor,
      signal: new AbortController().signal,
    });
    return {
      features: set.features,
      dim: set.dim,
      labels: set.labels,
      names: images.map((i) => path.basename(i.path)),
    };
  } finally {
    await extractor.dispose();
    base.model.dispose();
  }
}

/**
 * The test's flip: 5 % of the images, each moved to a random other class; then the images in the order the test's
 * inspection lists them (by path: the new class folder, then the file name), which decides the folds.
 */
function flip(
  data: { features: Float32Array; dim: number; labels: Int32Array; names: string[] },
  seed: number,
): { features: Float32Array; noisy: Int32Array; flipped: Set<number> } {
  const { labels, dim } = data;
  const random = createRandom(seed);
  const flips = new Set<number>();
  while (flips.size < Math.round(labels.length * 0.05)) flips.add(Math.floor(random() * labels.length));
  const noisy = Int32Array.from(labels);
  for (let i = 0; i < labels.length; i++) {
    if (!flips.has(i)) continue;
    const others = [0, 1, 2].filter((c) => c !== labels[i]);
    noisy[i] = others[Math.floor(random() * others.length)]!;
  }
  const order = [...labels.keys()].sort((a, b) => noisy[a]! - noisy[b]! || (data.names[a]! < data.names[b]! ? -1 : 1));
  const features = new Float32Array(data.features.length);
  order.forEach((from, to) => features.set(data.features.subarray(from * dim, (from + 1) * dim), to * dim));
  return {
    features,
    noisy: Int32Array.from(order, (i) => noisy[i]!),
    flipped: new Set(order.flatMap((from, to) => (flips.has(from) ? [to] : []))),
  };
}

const backend = (await backendReady()).name;
const data = await features();
const seeds = [5, 1, 2, 3, 4, 6, 7, 8, 9, 10].slice(0, draws);
const recalls: number[] = [];
const oracles: number[] = [];
const counts: number[] = [];
let seconds = 0;
for (const seed of seeds) {
  const { features: rows, noisy, flipped } = flip(data, seed);
  const started = performance.now();
  const { suspects, probabilities } = await findMislabels(rows, data.dim, noisy, CLASSES.length);
  {
    const byP = [...noisy.keys()].sort((a, b) => probabilities[a * 3 + noisy[a]!]! - probabilities[b * 3 + noisy[b]!]!);
    oracles.push(byP.slice(0, flipped.size).filter((i) => flipped.has(i)).length / flipped.size);
    counts.push(suspects.length);
  }
  seconds += (performance.now() - started) / 1000;
  const top = suspects.slice(0, flipped.size).filter((s) => flipped.has(s.image)).length;
  recalls.push(top / flipped.size);
  if (!process.argv.includes('--json'))
    console.log(`draw ${seed}: ${top}/${flipped.size} in the top ${flipped.size}, ${suspects.length} suspects`);
}
const clean = await findMislabels(data.features, data.dim, data.labels, CLASSES.length);
// Time on 3,000 images: the 600 feature rows five times over (cost depends on rows, width and classes only).
const big = new Float32Array(data.features.length * 5);
for (let t = 0; t < 5; t++) big.set(data.features, t * data.features.length);
const bigLabels = Int32Array.from({ length: data.labels.length * 5 }, (_, i) => data.labels[i % data.labels.length]!);
const bigStarted = performance.now();
await findMislabels(big, data.dim, bigLabels, CLASSES.length);
const secondsFor3000 = (performance.now() - bigStarted) / 1000;
printReport({
  bench: 'mislabels',
  backend,
  units: { secondsPerRun: 's', secondsFor3000: 's' },
  results: {
    meanRecall: recalls.reduce((s, r) => s + r, 0) / recalls.length,
    minRecall: Math.min(...recalls),
    cleanSuspects: clean.suspects.length,
    rankMeanRecall: oracles.reduce((s, r) => s + r, 0) / oracles.length,
    rankMinRecall: Math.min(...oracles),
    minSuspects: Math.min(...counts),
    secondsPerRun: seconds / seeds.length,
    secondsFor3000,
  },
  ratios: {},
});
