import { describe, expect, it } from 'vitest';
import { findOutliers } from '../../../main/engine/insight/outliers';
import { createRandom } from '../../../main/engine/random';

describe('findOutliers', () => {
  it('reports the image far from every class centre, not the one near another class', () => {
    const random = createRandom(2);
    const dim = 16;
    const rows: number[][] = [];
    const labels: number[] = [];
    for (const cls of [0, 1])
      for (let i = 0; i < 20; i++) {
        rows.push(Array.from({ length: dim }, (_, j) => (j === cls ? 1 : 0) + random() * 0.1));
        labels.push(cls);
      }
    rows.push(Array.from({ length: dim }, (_, j) => (j === 1 ? 1 : 0) + random() * 0.1)); // 40: a class-1 picture labelled 0
    labels.push(0);
    rows.push(Array.from({ length: dim }, (_, j) => (j === 9 ? 1 : 0))); // 41: like neither class
    labels.push(1);
    const unit = Float32Array.from(rows.flatMap((r) => r.map((v) => v / Math.hypot(...r))));
    const found = findOutliers(unit, dim, labels, 2);
    expect(found.map((o) => o.image)).toEqual([41]);
    expect(found[0]!.score).toBeGreaterThan(3.5);
    expect(found[0]!.distance).toBeGreaterThan(0.5);
  });
});
