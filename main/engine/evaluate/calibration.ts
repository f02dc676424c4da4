/**
 * Calibration: how well the top probability matches the accuracy. Equal-width bins over [0, 1] of the
 * top probability (a reliability diagram) and the expected calibration error
 * ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b| (Guo et al. 2017).
 */
import type { Calibration } from '../../../shared/contract/evaluate';

/** Bins of the reliability diagram. Default of {@link calibrationOf}. */
export const CALIBRATION_BINS = 10;

/**
 * Bins and ECE of predictions given as their top probability and whether that top class was right.
 * A probability p falls in bin min(⌊p·bins⌋, bins − 1), so 1.0 is in the last bin.
 * @param bins number of equal-width bins. Default: 10.
 */
export function calibrationOf(
  confidences: readonly number[],
  correct: readonly boolean[],
  bins = CALIBRATION_BINS,
): Calibration {
  const count = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  const correctSum = new Array<number>(bins).fill(0);
  confidences.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]!++;
    confidenceSum[b]! += p;
    if (correct[i]) correctSum[b]!++;
  });
  const n = confidences.length;
  let ece = 0;
  const binList = count.map((c, b) => {
    const confidence = c === 0 ? null : confidenceSum[b]! / c;
    const accuracy = c === 0 ? null : correctSum[b]! / c;
    if (c > 0) ece += (c / n) * Math.abs(accuracy! - confidence!);
    return { lower: b / bins, upper: (b + 1) / bins, count: c, confidence, accuracy };
  });
  return { ece: n === 0 ? null : ece, bins: binList };
}
