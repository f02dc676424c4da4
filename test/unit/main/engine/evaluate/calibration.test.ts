/** ECE and reliability bins on cases worked out by hand. */
import { describe, expect, it } from 'vitest';
import { calibrationOf } from '../../../../../main/engine/evaluate/calibration';

describe('calibration', () => {
  it('four images in four bins: ECE = (0.05 + 0.85 + 0.35 + 0.45) / 4 = 0.425', () => {
    const result = calibrationOf([0.95, 0.85, 0.65, 0.55], [true, false, true, true]);
    expect(result.ece).toBeCloseTo(0.425, 12);
    expect(result.bins).toHaveLength(10);
    expect(result.bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 1, 1]);
    expect(result.bins[8]).toEqual({ lower: 0.8, upper: 0.9, count: 1, confidence: 0.85, accuracy: 0 });
    expect(result.bins[0]).toEqual({ lower: 0, upper: 0.1, count: 0, confidence: null, accuracy: null });
  });

  it('two images in one bin: mean confidence 0.91, accuracy 0.5 → ECE 0.41', () => {
    const result = calibrationOf([0.9, 0.92], [true, false]);
    expect(result.bins[9]!.confidence).toBeCloseTo(0.91, 12);
    expect(result.bins[9]!.accuracy).toBe(0.5);
    expect(result.ece).toBeCloseTo(0.41, 12);
  });

  it('a probability of exactly 1 falls in the last bin; a perfectly calibrated set has ECE 0', () => {
    const result = calibrationOf([1, 1], [true, true]);
    expect(result.bins[9]!.count).toBe(2);
    expect(result.ece).toBe(0);
  });

  it('no images: ECE null and empty bins', () => {
    const result = calibrationOf([], []);
    expect(result.ece).toBeNull();
    expect(result.bins.every((b) => b.count === 0)).toBe(true);
  });
});
