/**
 * Principal-component projection of feature rows by randomized subspace iteration (Halko, Martinsson & Tropp,
 * 2011, "Finding structure with randomness"): a seeded Gaussian test matrix, a few power iterations, Gram–Schmidt.
 * The basis has orthonormal columns, so the projection never lengthens a difference: two rows closer than r in
 * the full space are closer than r in the projection (neighbours.ts relies on it to find near-duplicates exactly).
 * No eigen-decomposition of the small matrix is done: the map only needs distances, which rotations keep.
 * The large products run in tfjs (every tensor disposed); the small basis is plain Float32Arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '../random';

/** Options of {@link projectPca}. */
export interface PcaOptions {
  /** Components kept (clamped to the rows and the dimension). Default: 50. */
  components?: number;
  /** Power iterations (more = closer to the exact principal subspace). Default: 1. */
  iterations?: number;
  /** Seed of the random test matrix. Default: 42. */
  seed?: number;
}

/** Standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Orthonormalizes the k columns of a (rows×k) matrix in place (modified Gram–Schmidt; a null column becomes 0). */
export function orthonormalize(m: Float32Array, rows: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * k + c]! * m[r * k + p]!;
      for (let r = 0; r < rows; r++) m[r * k + c]! -= dot * m[r * k + p]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * k + c]! ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < rows; r++) m[r * k + c] = norm > 1e-6 ? m[r * k + c]! / norm : 0;
  }
}

/**
 * Projects n rows of `dim` floats (row-major) onto their top principal subspace, centred.
 * @returns n × k rows (row-major) and k; the centred input itself when dim ≤ components.
 */
export function projectPca(
  features: Float32Array,
  dim: number,
  options: PcaOptions = {},
): { rows: Float32Array; components: number } {
  const n = dim > 0 ? Math.floor(features.length / dim) : 0;
  const k = Math.min(options.components ?? 50, dim, Math.max(1, n));
  if (n === 0) return { rows: new Float32Array(0), components: k };
  const centred = tf.tidy(() => {
    const x = tf.tensor2d(features.subarray(0, n * dim), [n, dim]);
    return tf.sub(x, tf.mean(x, 0, true));
  });
  try {
    if (dim <= k) return { rows: centred.dataSync() as Float32Array, components: dim };
    const random = createRandom(options.seed ?? 42);
    const basis = Float32Array.from({ length: dim * k }, () => gaussian(random));
    orthonormalize(basis, dim, k);
    for (let it = 0; it < (options.iterations ?? 1); it++) {
      const next = tf.tidy(() => {
        const z = tf.tensor2d(basis, [dim, k]);
        return tf.matMul(centred, tf.matMul(centred, z), true, false).dataSync() as Float32Array;
      });
      basis.set(next);
      orthonormalize(basis, dim, k);
    }
    const rows = tf.tidy(() => tf.matMul(centred, tf.tensor2d(basis, [dim, k])).dataSync() as Float32Array);
    return { rows, components: k };
  } finally {
    centred.dispose();
  }
}
