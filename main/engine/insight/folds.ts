/**
 * Stratified, seeded k-fold assignment: each class's images are shuffled with the seed and dealt to the folds in
 * turn, so every fold holds about 1/k of every class and the same seed gives the same folds.
 */
import { createRandom, deriveSeed, shuffleInPlace } from '../training/seed';

/**
 * The fold (0..folds-1) of each image.
 * @param labels class index per image.
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed: number): Int32Array {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(i);
    byClass.set(labels[i]!, list);
  }
  const fold = new Int32Array(labels.length);
  // Each class starts dealing where the previous one stopped, so small classes do not all land in fold 0.
  let next = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffleInPlace(byClass.get(cls)!, createRandom(deriveSeed(seed, 'fold', cls)));
    for (const image of members) {
      fold[image] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}
