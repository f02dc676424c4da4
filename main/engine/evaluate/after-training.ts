/**
 * The last step of every training run: score the held-out test split with the final model and write
 * evaluation.json (an empty split is recorded as such). A failure here never fails the completed run: it
 * comes back as a warning, and the user can evaluate again from the Evaluate step.
 */
import type { InferenceProgress } from '../../../shared/contract/evaluate';
import type { EvaluationRecord } from '../../../shared/contract/run-file';
import type { LabelledImage } from '../training/extract';
import { evaluateRun } from './evaluate';

/**
 * The test-split evaluation of a run that just completed; `trained` are its training + validation images.
 * @param onProgress receives the scoring's progress (images predicted of the test split). Default: none.
 */
export async function evaluateAfterTraining(
  runDir: string,
  trained: readonly Pick<LabelledImage, 'hash'>[],
  signal: AbortSignal,
  onProgress: (progress: InferenceProgress) => void = () => undefined,
): Promise<{ record: EvaluationRecord } | { warning: string }> {
  try {
    const evaluation = await evaluateRun(
      { runDir, batchSize: 32 },
      { signal, progress: onProgress, trained: new Set(trained.map((image) => image.hash)) },
    );
    return {
      record: {
        writtenAt: evaluation.writtenAt,
        model: evaluation.model,
        images: evaluation.count,
        accuracy: evaluation.accuracy ?? Number.NaN,
      },
    };
  } catch (error) {
    return {
      warning: `The run completed but its test split could not be evaluated: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
