/**
 * Exact nearest neighbours of every row and every pair within a radius, by blocked matrix products
 * (‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b, one block of rows against all rows at a time, in tfjs), so memory stays
 * at blockRows × n floats. Used on the PCA-reduced rows: the neighbours feed UMAP (embedding-map.ts), the
 * pairs are the near-duplicate candidates (near-duplicates.ts confirms them in the full feature space).
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfCancelled } from '../cancel';

/** Options of {@link neighbourGraph}. */
export interface NeighbourOptions {
  /** Neighbours per row, the row itself first (at distance 0). Default: 15. */
  k?: number;
  /** Also list every pair (i < j) at Euclidean distance ≤ radius. Default: none. */
  radius?: number;
  /** Rows per matrix product. Default: 1024. */
  blockRows?: number;
  /** Checked between blocks. Default: never cancelled. */
  signal?: AbortSignal;
  /** Rows done / total, after each block. Default: none. */
  onProgress?: (done: number, total: number) => void;
}

export interface NeighbourGraph {
  /** Per row: its k nearest rows (itself first), nearest first. */
  indices: number[][];
  /** Euclidean distances aligned with `indices`. */
  distances: number[][];
  /** Pairs within `radius`: [i, j] with i < j. */
  pairs: [number, number][];
}

/** Inserts (index, d2) into the ascending list if it beats the last; keeps at most k entries. */
function insert(indices: number[], d2s: number[], k: number, index: number, d2: number): void {
  if (d2s.length === k && d2 >= d2s[k - 1]!) return;
  let at = d2s.length === k ? k - 1 : d2s.length;
  while (at > 1 && d2s[at - 1]! > d2) {
    d2s[at] = d2s[at - 1]!;
    indices[at] = indices[at - 1]!;
    at--;
  }
  d2s[at] = d2;
  indices[at] = index;
}

/**
 * The k nearest neighbours (Euclidean) of each of the n rows of `rows` (n × width, row-major), exact.
 * @throws StudioError CANCELLED when `signal` aborts.
 */
export async function neighbourGraph(
  rows: Float32Array,
  width: number,
  options: NeighbourOptions = {},
): Promise<NeighbourGraph> {
  const n = width > 0 ? Math.floor(rows.length / width) : 0;
  const k = Math.max(1, Math.min(options.k ?? 15, n));
  const block = options.blockRows ?? 1024;
  const radius2 = options.radius === undefined ? -1 : options.radius ** 2;
  const signal = options.signal ?? new AbortController().signal;
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += rows[i * width + j]! ** 2;
    norms[i] = sum;
  }
  const indices: number[][] = [];
  const d2s: number[][] = [];
  const pairs: [number, number][] = [];
  if (n === 0) return { indices, distances: [], pairs };
  const all = tf.tensor2d(rows.subarray(0, n * width), [n, width]);
  try {
    for (let start = 0; start < n; start += block) {
      throwIfCancelled(signal);
      const count = Math.min(block, n - start);
      const product = tf.tidy(() => tf.matMul(all.slice([start, 0], [count, width]), all, false, true));
      const dots = (await product.data()) as Float32Array;
      product.dispose();
      for (let r = 0; r < count; r++) {
        const i = start + r;
        const rowIndices = [i];
        const rowD2 = [0];
        const offset = r * n;
        const ni = norms[i]!;
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const d2 = Math.max(0, ni + norms[j]! - 2 * dots[offset + j]!);
          insert(rowIndices, rowD2, k, j, d2);
          if (j > i && d2 <= radius2) pairs.push([i, j]);
        }
        indices.push(rowIndices);
        d2s.push(rowD2);
      }
      options.onProgress?.(start + count, n);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    all.dispose();
  }
  return { indices, distances: d2s.map((row) => row.map(Math.sqrt)), pairs };
}
