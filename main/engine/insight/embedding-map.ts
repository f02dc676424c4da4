/**
 * The 2-D embedding map of a dataset: every image's feature row, L2-normalized (so distances follow cosine
 * similarity), projected to ~50 principal components (randomized PCA: a faster neighbour search), its exact
 * k nearest neighbours found by blocked matrix products, then laid out by UMAP (umap-js, given those neighbours)
 * driven by our seeded PRNG — the same seed and features give the same coordinates.
 */
import { UMAP } from 'umap-js';
import { StudioError } from '../../../shared/errors';
import { throwIfCancelled } from '../cancel';
import { createRandom } from '../random';
import { deriveSeed } from '../training/seed';
import { backendReady } from '../runtime';
import { neighbourGraph, type NeighbourGraph } from './neighbours';
import { projectPca } from './pca';

/** Options of {@link embedMap}. */
export interface EmbedMapOptions {
  /** Seed of the PCA test matrix and of every UMAP draw. Default: 42. */
  seed?: number;
  /** Neighbours UMAP connects each point to (clamped below the number of points). Default: 15. */
  neighbors?: number;
  /** UMAP's minimum distance between laid-out points. Default: 0.1. */
  minDist?: number;
  /** Principal components kept before the neighbour search. Default: 50. */
  components?: number;
  /** UMAP optimisation epochs. Default: {@link defaultEpochs} (400 up to 1,000 points, 300 to 2,500, else 200). */
  epochs?: number;
  /** Epochs done / total, every few epochs. Default: none. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between epochs. Default: never cancelled. */
  signal?: AbortSignal;
}

/** 2-D coordinates aligned with the input rows. */
export interface EmbeddingMap {
  x: number[];
  y: number[];
}

/** Epochs between two yields to the event loop (so a cancel message can arrive) and two progress reports. */
const EPOCHS_PER_TICK = 10;

/** Copies rows, each scaled to unit length (a zero row stays zero). */
export function normalizeRows(features: Float32Array, dim: number): Float32Array {
  const n = Math.floor(features.length / dim);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += features[i * dim + j]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) out[i * dim + j] = features[i * dim + j]! * scale;
  }
  return out;
}

/** Default UMAP epochs for n points: fewer for bigger maps (each epoch costs more), as umap-learn does. */
export function defaultEpochs(n: number): number {
  return n <= 1000 ? 400 : n <= 2500 ? 300 : 200;
}

/**
 * Lays out a precomputed neighbour graph (see neighbours.ts) of n points in 2-D with UMAP.
 * @throws StudioError CANCELLED when `signal` aborts.
 */
export async function layoutGraph(graph: NeighbourGraph, options: EmbedMapOptions = {}): Promise<EmbeddingMap> {
  const signal = options.signal ?? new AbortController().signal;
  const n = graph.indices.length;
  const k = graph.indices[0]?.length ?? 0;
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: k,
    minDist: options.minDist ?? 0.1,
    random: createRandom(deriveSeed(options.seed ?? 42, 'umap')),
    nEpochs: options.epochs ?? defaultEpochs(n),
  });
  umap.setPrecomputedKNN(graph.indices, graph.distances);
  // With the neighbours given, umap-js reads only the number of rows of X.
  const total = umap.initializeFit(Array.from({ length: n }, () => []));
  options.onProgress?.(0, total);
  for (let epoch = 0; epoch < total;) {
    throwIfCancelled(signal);
    const until = Math.min(total, epoch + EPOCHS_PER_TICK);
    while (epoch < until) epoch = umap.step();
    options.onProgress?.(epoch, total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const embedding = umap.getEmbedding();
  return { x: embedding.map((p) => p[0]!), y: embedding.map((p) => p[1]!) };
}

/**
 * Maps n feature rows (`features`: n × `dim` floats, row-major) to 2-D: L2-normalize, PCA, exact k nearest
 * neighbours, UMAP. Fewer than 4 rows get their first two principal components (UMAP needs more points than
 * neighbours). Progress counts the UMAP epochs (the PCA and the neighbours take a small part of the time).
 * @throws StudioError BAD_INPUT when `features.length` is not a multiple of `dim`; CANCELLED when `signal` aborts.
 */
export async function embedMap(
  features: Float32Array,
  dim: number,
  options: EmbedMapOptions = {},
): Promise<EmbeddingMap> {
  if (!Number.isInteger(dim) || dim < 1 || features.length % dim !== 0) {
    throw new StudioError(
      'BAD_INPUT',
      `embedMap: features hold ${features.length} floats, not a whole number of rows of dim ${JSON.stringify(dim)}.`,
    );
  }
  await backendReady();
  const signal = options.signal ?? new AbortController().signal;
  const seed = options.seed ?? 42;
  const n = features.length / dim;
  if (n === 0) return { x: [], y: [] };
  const unit = normalizeRows(features, dim);
  if (n < 4) {
    const { rows, components } = projectPca(unit, dim, { components: 2, seed });
    const at = (i: number, c: number) => (c < components ? rows[i * components + c]! : 0);
    return { x: Array.from({ length: n }, (_, i) => at(i, 0)), y: Array.from({ length: n }, (_, i) => at(i, 1)) };
  }
  throwIfCancelled(signal);
  const { rows, components } = projectPca(unit, dim, {
    components: options.components ?? 50,
    seed: deriveSeed(seed, 'pca'),
  });
  const graph = await neighbourGraph(rows, components, { k: Math.min(options.neighbors ?? 15, n - 1), signal });
  return layoutGraph(graph, options);
}
