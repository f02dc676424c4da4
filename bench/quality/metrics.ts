/**
 * Scores of predicted probabilities: accuracy, expected calibration error (the product's calibrationOf, 10 bins) and
 * temperature scaling fitted on the validation split (Guo et al. 2017: one T minimising the NLL of softmax(log p / T)).
 */
import { calibrationOf } from '../../main/engine/evaluate/calibration';

/** Probabilities, row-major `labels.length × classes`. */
export interface Probabilities {
  values: Float32Array;
  classes: number;
}

/** Fraction of rows whose highest probability is the true class. */
export function accuracy(probs: Probabilities, labels: Int32Array): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(probs, i) === labels[i]) right++;
  return right / labels.length;
}

/** ECE of the top probability over 10 equal-width bins (the Evaluate step's definition). */
export function expectedCalibrationError(probs: Probabilities, labels: Int32Array): number {
  const confidences: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < labels.length; i++) {
    const top = argmax(probs, i);
    confidences.push(probs.values[i * probs.classes + top]!);
    correct.push(top === labels[i]);
  }
  return calibrationOf(confidences, correct).ece ?? Number.NaN;
}

/** softmax(log p / T) for every row. */
export function withTemperature(probs: Probabilities, temperature: number): Probabilities {
  const { classes } = probs;
  const values = new Float32Array(probs.values.length);
  for (let r = 0; r < values.length / classes; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      const z = Math.log(Math.max(probs.values[r * classes + c]!, 1e-12)) / temperature;
      values[r * classes + c] = z;
      max = Math.max(max, z);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += values[r * classes + c] = Math.exp(values[r * classes + c]! - max);
    for (let c = 0; c < classes; c++) values[r * classes + c]! /= sum;
  }
  return { values, classes };
}

/** Mean negative log-likelihood of the true classes. */
export function negativeLogLikelihood(probs: Probabilities, labels: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++)
    sum -= Math.log(Math.max(probs.values[i * probs.classes + labels[i]!]!, 1e-12));
  return sum / labels.length;
}

/** The temperature in [0.05, 20] minimising the NLL of `probs` (golden-section search on log T). */
export function fitTemperature(probs: Probabilities, labels: Int32Array): number {
  const loss = (logT: number) => negativeLogLikelihood(withTemperature(probs, Math.exp(logT)), labels);
  let a = Math.log(0.05);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (loss(c) < loss(d)) b = d;
    else a = c;
  }
  return Math.exp((a + b) / 2);
}

/** Average of two predictions of the same rows (test-time augmentation). */
export function averageProbabilities(a: Probabilities, b: Probabilities): Probabilities {
  const values = new Float32Array(a.values.length);
  for (let i = 0; i < values.length; i++) values[i] = (a.values[i]! + b.values[i]!) / 2;
  return { values, classes: a.classes };
}

function argmax(probs: Probabilities, row: number): number {
  let best = 0;
  for (let c = 1; c < probs.classes; c++) {
    if (probs.values[row * probs.classes + c]! > probs.values[row * probs.classes + best]!) best = c;
  }
  return best;
}
