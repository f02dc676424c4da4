import { describe, expect, it } from 'vitest';
import { stratifiedFolds } from '../../../main/engine/insight/folds';

describe('stratifiedFolds', () => {
  it('deals every class evenly over the folds, the same way for the same seed', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i < 50 ? 0 : i < 100 ? 1 : 2));
    const folds = stratifiedFolds(labels, 5, 7);
    for (const cls of [0, 1]) {
      const counts = [0, 0, 0, 0, 0];
      labels.forEach((label, i) => {
        if (label === cls) counts[folds[i]!]!++;
      });
      expect(counts).toEqual([10, 10, 10, 10, 10]);
    }
    // The 3 images of class 2 land in 3 different folds.
    expect(new Set([folds[100], folds[101], folds[102]]).size).toBe(3);
    expect(stratifiedFolds(labels, 5, 7)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 8)).not.toEqual(folds);
  });
});
