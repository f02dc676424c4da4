/** An evaluation of a temperature-scaled model reports T and the ECE its raw probabilities had. */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../../../main/engine/evaluate/summarize';
import { calibrationOf } from '../../../../../main/engine/evaluate/calibration';
import { temper } from '../../../../../main/engine/evaluate/temperature';

describe('summarize with a temperature', () => {
  const raw = [
    [0.97, 0.02, 0.01],
    [0.95, 0.04, 0.01],
    [0.1, 0.88, 0.02],
    [0.05, 0.05, 0.9],
  ];
  const labels = [0, 1, 1, 2];
  const T = 2;
  const predictions = raw.map((row, i) => ({ path: `/p/${i}.png`, label: labels[i]!, probabilities: temper(row, T) }));

  it('bins and ECE are of the calibrated probabilities; eceBefore is the raw ones', () => {
    const { calibration, accuracy } = summarize(['a', 'b', 'c'], predictions, T);
    expect(accuracy).toBe(0.75);
    expect(calibration.temperature).toBe(2);
    const rawEce = calibrationOf(
      raw.map((row) => Math.max(...row)),
      raw.map((row, i) => row.indexOf(Math.max(...row)) === labels[i]),
    ).ece!;
    expect(calibration.eceBefore).toBeCloseTo(rawEce, 10);
    const calibrated = predictions.map((p) => Math.max(...p.probabilities));
    expect(calibration.ece).toBeCloseTo(
      calibrationOf(
        calibrated,
        raw.map((row, i) => row.indexOf(Math.max(...row)) === labels[i]),
      ).ece!,
      12,
    );
  });

  it('without a temperature the calibration has neither field', () => {
    const { calibration } = summarize(['a', 'b', 'c'], predictions);
    expect(calibration).not.toHaveProperty('temperature');
    expect(calibration).not.toHaveProperty('eceBefore');
  });
});
