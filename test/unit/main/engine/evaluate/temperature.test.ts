/**
 * Temperature fitting on hand-made cases: labels drawn (seeded) from a known distribution, given to "models"
 * that are over-confident (T = 2), perfectly calibrated (T = 1) or under-confident (T = 0.5); a separable set;
 * the identities the fit relies on (tempering is undone by 1/T, the arg-max never changes).
 */
import { describe, expect, it } from 'vitest';
import {
  TEMPERATURE_BOUNDS,
  eceAt,
  fitTemperature,
  meanNll,
  temper,
} from '../../../../../main/engine/evaluate/temperature';
import { argMax } from '../../../../../main/engine/evaluate/top-losses';
import { createRandom } from '../../../../../main/engine/random';

function softmax(z: readonly number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * `n` images of 4 classes: true logits z (random), the label drawn from softmax(z), and the model's output
 * softmax(z · sharpness) — sharpness 2 is a model over-confident by T = 2.
 */
function sample(n: number, sharpness: number, seed: number): { rows: number[][]; labels: number[] } {
  const next = createRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: 4 }, () => (next() - 0.5) * 6);
    const truth = softmax(z);
    let u = next();
    let label = 0;
    while (label < 3 && u >= truth[label]!) u -= truth[label++]!;
    labels.push(label);
    rows.push(softmax(z.map((v) => v * sharpness)));
  }
  return { rows, labels };
}

describe('fitTemperature', () => {
  it('an over-confident model (logits × 2) gets T ≈ 2, and a lower NLL and ECE', () => {
    const { rows, labels } = sample(4000, 2, 1);
    const fit = fitTemperature(rows, labels);
    expect(fit.temperature).toBeGreaterThan(1.8);
    expect(fit.temperature).toBeLessThan(2.2);
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore);
    expect(fit.eceAfter!).toBeLessThan(fit.eceBefore!);
    expect(fit.eceAfter!).toBeLessThan(0.03);
    expect(fit.count).toBe(4000);
    expect(fit.nllBefore).toBeCloseTo(meanNll(rows, labels), 12);
    expect(fit.nllAfter).toBeCloseTo(meanNll(rows, labels, fit.temperature), 12);
  });

  it('a perfectly calibrated model gets T ≈ 1', () => {
    const { rows, labels } = sample(4000, 1, 2);
    const fit = fitTemperature(rows, labels);
    expect(Math.abs(fit.temperature - 1)).toBeLessThan(0.08);
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore);
  });

  it('an under-confident model (logits × 0.5) gets T ≈ 0.5', () => {
    const { rows, labels } = sample(4000, 0.5, 3);
    const fit = fitTemperature(rows, labels, { prior: 0 });
    expect(fit.temperature).toBeGreaterThan(0.45);
    expect(fit.temperature).toBeLessThan(0.55);
  });

  it('bounds [1, 20]: the under-confident model keeps T = 1 (no sharpening), the over-confident one still gets T ≈ 2', () => {
    const under = sample(2000, 0.5, 3);
    const kept = fitTemperature(under.rows, under.labels, { bounds: [1, 20] });
    expect(kept.temperature).toBe(1);
    expect(kept.nllAfter).toBe(kept.nllBefore);
    const over = sample(4000, 2, 1);
    const fit = fitTemperature(over.rows, over.labels, { bounds: [1, 20] });
    expect(fit.temperature).toBeCloseTo(fitTemperature(over.rows, over.labels).temperature, 5);
  });

  it('a separable set does not blow up: plain NLL stops at the bound, the prior keeps T moderate', () => {
    // Every image right with probability 0.9: any sharpening lowers the NLL, down to T's lower bound.
    const rows = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? [0.9, 0.05, 0.05] : [0.05, 0.9, 0.05]));
    const labels = rows.map((_, i) => i % 2);
    const plain = fitTemperature(rows, labels, { prior: 0 });
    expect(plain.temperature).toBeCloseTo(TEMPERATURE_BOUNDS[0], 5);
    expect(Number.isFinite(plain.nllAfter)).toBe(true);
    expect(plain.nllAfter).toBeLessThan(plain.nllBefore);
    const fit = fitTemperature(rows, labels);
    expect(fit.temperature).toBeGreaterThan(0.2);
    expect(fit.temperature).toBeLessThan(1);
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore);
    for (const row of rows) expect(temper(row, fit.temperature).every(Number.isFinite)).toBe(true);
  });

  it('probabilities that underflowed to 0 stay finite; no rows keep T = 1', () => {
    const fit = fitTemperature(
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [1, 0, 0],
      ],
      [0, 1, 2, 1],
    );
    expect(Number.isFinite(fit.temperature)).toBe(true);
    expect(Number.isFinite(fit.nllAfter)).toBe(true);
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore);
    const empty = fitTemperature([], []);
    expect(empty).toMatchObject({ temperature: 1, count: 0, eceBefore: null, eceAfter: null });
    expect(empty.nllBefore).toBeNaN();
  });

  it('is deterministic', () => {
    const { rows, labels } = sample(500, 2, 4);
    expect(fitTemperature(rows, labels)).toEqual(fitTemperature(rows, labels));
  });

  it('errors quote the bad label and the mismatched counts', () => {
    expect(() => fitTemperature([[0.5, 0.5]], [2])).toThrow('Row 0: expected a label in 0..1, received 2.');
    expect(() => fitTemperature([[0.5, 0.5]], [0, 1])).toThrow('received 1 rows and 2 labels');
  });
});

describe('temper', () => {
  it('T = 1 gives the row back, 1/T undoes T, and the arg-max never changes', () => {
    const { rows } = sample(50, 1.5, 5);
    for (const row of rows) {
      const hot = temper(row, 1.83);
      expect(temper(row, 1).every((p, i) => Math.abs(p - row[i]!) < 1e-12)).toBe(true);
      expect(temper(hot, 1 / 1.83).every((p, i) => Math.abs(p - row[i]!) < 1e-12)).toBe(true);
      expect(argMax(hot)).toBe(argMax(row));
      expect(hot.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('softmax(log p / T) = softmax(z / T): fitting on probabilities is fitting on logits', () => {
    const z = [2.5, -1, 0.3, 4];
    expect(temper(softmax(z), 2).every((p, i) => Math.abs(p - softmax(z.map((v) => v / 2))[i]!) < 1e-12)).toBe(true);
  });

  it('eceAt at T = 1 is the ECE of the rows as they are', () => {
    expect(eceAt([[0.9, 0.1]], [1])).toBeCloseTo(0.9, 12);
    expect(eceAt([], [])).toBeNull();
  });
});
