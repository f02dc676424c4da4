/** Scoring of single images: arg-max, cross-entropy loss, and the list sorted by loss (the top losses). */
import type { ScoredImage } from '../../../shared/contract/evaluate';

/** Probabilities are clamped to this before the logarithm, so a loss is at most −ln(1e-7) ≈ 16.1. */
export const LOSS_EPSILON = 1e-7;

/** Index of the largest probability (the first one on ties). */
export function argMax(probabilities: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  return best;
}

/** Cross-entropy of the given label: −ln(max(p[label], 1e-7)). */
export function crossEntropy(probabilities: readonly number[], label: number): number {
  return -Math.log(Math.max(probabilities[label] ?? 0, LOSS_EPSILON));
}

/** An image with its given label and the model's probabilities. */
export interface LabelledPrediction {
  path: string;
  label: number;
  probabilities: readonly number[];
}

/** Every image scored, highest loss first (ties by path, so the order is stable). */
export function topLosses(predictions: readonly LabelledPrediction[]): ScoredImage[] {
  return predictions
    .map((p) => ({
      path: p.path,
      label: p.label,
      predicted: argMax(p.probabilities),
      probabilities: [...p.probabilities],
      loss: crossEntropy(p.probabilities, p.label),
    }))
    .sort((a, b) => b.loss - a.loss || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
