/**
 * The metrics part of an evaluation, computed from the images' given labels and predicted probabilities:
 * pure arithmetic on plain numbers (no tensors), so it is tested against values worked out by hand.
 */
import type { Evaluation } from '../../../shared/contract/evaluate';
import { calibrationOf } from './calibration';
import { confusionMatrix, mostConfused } from './confusion';
import { accuracyOf, classMetrics, macroAverage, matrixTotals, weightedAverage, wilsonInterval } from './metrics';
import { smallClasses, smallTestSetNotice } from './small-test-set';
import { eceAt } from './temperature';
import { topLosses, type LabelledPrediction } from './top-losses';

/** The fields of evaluation.json that follow from the predictions alone. */
export type EvaluationMetrics = Pick<
  Evaluation,
  | 'classes'
  | 'count'
  | 'accuracy'
  | 'accuracyInterval'
  | 'loss'
  | 'perClass'
  | 'macro'
  | 'weighted'
  | 'confusion'
  | 'calibration'
  | 'images'
  | 'smallClasses'
  | 'notices'
>;

/**
 * Every metric of `predictions` (labels index `classes`; each row's probabilities are in the order of `classes`).
 * @param temperature the T baked into the model that made them (run.json `calibration`): the calibration then
 *   also gives T and the ECE of the raw probabilities softmax(T · log p). Default: none (not calibrated).
 */
export function summarize(
  classes: readonly string[],
  predictions: readonly LabelledPrediction[],
  temperature?: number,
): EvaluationMetrics {
  const images = topLosses(predictions);
  const matrix = confusionMatrix(
    images.map((i) => i.label),
    images.map((i) => i.predicted),
    classes.length,
  );
  const { correct, total } = matrixTotals(matrix);
  const perClass = classMetrics(matrix, classes);
  const interval = wilsonInterval(correct, total);
  const small = smallClasses(perClass);
  const notice = smallTestSetNotice(small, total, interval);
  return {
    classes: [...classes],
    count: total,
    accuracy: accuracyOf(matrix),
    accuracyInterval: interval,
    loss: total === 0 ? null : images.reduce((sum, i) => sum + i.loss, 0) / total,
    perClass,
    macro: macroAverage(perClass),
    weighted: weightedAverage(perClass),
    confusion: { matrix, mostConfused: mostConfused(matrix) },
    calibration: {
      ...calibrationOf(
        images.map((i) => i.probabilities[i.predicted] ?? 0),
        images.map((i) => i.predicted === i.label),
      ),
      ...(temperature === undefined
        ? {}
        : {
            temperature,
            eceBefore: eceAt(
              images.map((i) => i.probabilities),
              images.map((i) => i.label),
              1 / temperature,
            ),
          }),
    },
    images,
    smallClasses: small,
    notices: total > 0 && notice ? [notice] : [],
  };
}
