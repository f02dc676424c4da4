import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averageProbabilities,
  expectedCalibrationError,
  fitTemperature,
  negativeLogLikelihood,
  withTemperature,
} from '../../../../bench/quality/metrics';

const probs = (rows: number[][]) => ({ values: Float32Array.from(rows.flat()), classes: rows[0]!.length });

describe('quality metrics', () => {
  it('accuracy and ECE of a small set', () => {
    const p = probs([
      [0.95, 0.05],
      [0.75, 0.25],
      [0.35, 0.65],
      [0.55, 0.45],
    ]);
    const labels = Int32Array.from([0, 1, 1, 0]);
    expect(accuracy(p, labels)).toBe(0.75);
    // One per bin: 0.95 right, 0.75 wrong, 0.65 right, 0.55 right.
    expect(expectedCalibrationError(p, labels)).toBeCloseTo((0.05 + 0.75 + 0.35 + 0.45) / 4, 6);
  });

  it('temperature 1 changes nothing; T > 1 softens, argmax kept', () => {
    const p = probs([[0.7, 0.2, 0.1]]);
    expect(Array.from(withTemperature(p, 1).values)).toEqual(Array.from(p.values).map((v) => expect.closeTo(v, 6)));
    const soft = withTemperature(p, 3).values;
    expect(soft[0]).toBeLessThan(0.7);
    expect(soft[0]).toBeGreaterThan(soft[1]!);
    expect(soft.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('fits the temperature that undoes over-confidence', () => {
    // Calibrated logits z (60% right), then made over-confident by sharpening with T = 1/3.
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 500; i++) {
      const right = i % 10 < 6;
      rows.push(right ? [0.6, 0.4] : [0.6, 0.4]);
      labels.push(right ? 0 : 1);
    }
    const sharp = withTemperature(probs(rows), 1 / 3);
    const labelArray = Int32Array.from(labels);
    const t = fitTemperature(sharp, labelArray);
    expect(t).toBeCloseTo(3, 1);
    expect(negativeLogLikelihood(withTemperature(sharp, t), labelArray)).toBeLessThan(
      negativeLogLikelihood(sharp, labelArray),
    );
    expect(expectedCalibrationError(withTemperature(sharp, t), labelArray)).toBeLessThan(0.01);
  });

  it('averages two predictions', () => {
    expect(Array.from(averageProbabilities(probs([[1, 0]]), probs([[0.5, 0.5]])).values)).toEqual([0.75, 0.25]);
  });
});
