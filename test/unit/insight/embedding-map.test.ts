import { describe, expect, it } from 'vitest';
import { embedMap } from '../../../main/engine/insight/embedding-map';
import { createRandom } from '../../../main/engine/random';

/** `perClass` points around each of `classes` random unit centres in `dim` dimensions. */
function clusters(classes: number, perClass: number, dim: number, spread: number, seed = 1) {
  const random = createRandom(seed);
  const features = new Float32Array(classes * perClass * dim);
  const labels: number[] = [];
  for (let c = 0; c < classes; c++) {
    const centre = Array.from({ length: dim }, () => random() * 2 - 1);
    for (let p = 0; p < perClass; p++) {
      const row = (c * perClass + p) * dim;
      for (let j = 0; j < dim; j++) features[row + j] = centre[j]! + (random() * 2 - 1) * spread;
      labels.push(c);
    }
  }
  return { features, labels };
}

describe('embedMap', () => {
  it('gives the same coordinates for the same seed, others for another seed, and keeps clusters apart', async () => {
    const { features, labels } = clusters(3, 40, 96, 0.15);
    const a = await embedMap(features, 96, { seed: 7, epochs: 100 });
    const b = await embedMap(features, 96, { seed: 7, epochs: 100 });
    const c = await embedMap(features, 96, { seed: 8, epochs: 100 });
    expect(a.x).toHaveLength(120);
    expect(a).toEqual(b);
    expect(a.x).not.toEqual(c.x);
    expect(a.x.every(Number.isFinite) && a.y.every(Number.isFinite)).toBe(true);
    // Each point's nearest map neighbour is of its own class.
    let same = 0;
    for (let i = 0; i < labels.length; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let j = 0; j < labels.length; j++) {
        if (j === i) continue;
        const d = (a.x[i]! - a.x[j]!) ** 2 + (a.y[i]! - a.y[j]!) ** 2;
        if (d < bestDistance) [best, bestDistance] = [j, d];
      }
      if (labels[best] === labels[i]) same++;
    }
    expect(same / labels.length).toBeGreaterThan(0.95);
  });

  it('reports progress, handles tiny inputs, and stops when cancelled', async () => {
    const { features } = clusters(2, 10, 8, 0.1);
    const seen: number[] = [];
    await embedMap(features, 8, { epochs: 30, onProgress: (done) => seen.push(done) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(30);
    expect(await embedMap(new Float32Array(0), 8)).toEqual({ x: [], y: [] });
    const two = await embedMap(features.subarray(0, 16), 8);
    expect(two.x).toHaveLength(2);
    const controller = new AbortController();
    controller.abort();
    await expect(embedMap(features, 8, { signal: controller.signal })).rejects.toThrow(/cancelled/);
    await expect(embedMap(features, 7)).rejects.toThrow(/160 floats.*dim 7/);
  });
});
