/**
 * Determinism: one seed drives the split, weight initialisers, batch order, dropout and
 * augmentation. Same seed + backend + data ⇒ same metrics.
 */

import { createRandom, type Random } from '../random';

export { createRandom, type Random };

/**
 * Mixes a seed with labels (e.g. an epoch number, a phase name) into a new 31-bit seed, so each
 * consumer gets an independent but reproducible stream.
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const label of labels) {
    const text = String(label);
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  }
  return h & 0x7fffffff;
}

/** Fisher–Yates shuffle in place with a seeded generator; returns the array. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** The indices 0..n-1 in the order of epoch `epoch` of a run seeded with `seed`. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, createRandom(deriveSeed(seed, 'epoch', epoch)));
  return Int32Array.from(order);
}

/**
 * Runs `work` with `Math.random` replaced by a generator seeded with `seed`, then puts it back.
 *
 * Why: every unseeded random op in tfjs (Glorot/He initialisers, Dropout masks, `randomUniform`)
 * draws its seed from `Math.random`. tfjs' Dropout `seed` argument would give the same mask every
 * batch, so seeding Math.random (what `seedrandom` does globally) is the way to make a run
 * reproducible. Nested calls stack; the original is restored even when `work` throws.
 */
export async function withSeededRandom<T>(seed: number, work: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = createRandom(seed);
  try {
    return await work();
  } finally {
    Math.random = original;
  }
}

/** Synchronous {@link withSeededRandom}. */
export function withSeededRandomSync<T>(seed: number, work: () => T): T {
  const original = Math.random;
  Math.random = createRandom(seed);
  try {
    return work();
  } finally {
    Math.random = original;
  }
}
