import type { evaluateContract } from '../../../shared/contract/evaluate';
import type { HandlerMap } from '../handler';
import { evaluateRun } from '../evaluate/evaluate';
import { readEvaluation } from '../evaluate/evaluation-file';
import { predict } from '../evaluate/predict';
import { readRunSummary } from '../evaluate/run-summary';

/** Handlers of Evaluate, Predict and the runs list (see shared/contract/evaluate.ts). Thin: the work is in ../evaluate/. */
export const evaluateHandlers: HandlerMap<keyof typeof evaluateContract> = {
  'evaluation.evaluate': (request, { signal, progress }) => evaluateRun(request, { signal, progress }),
  'evaluation.read': ({ runDir }) => readEvaluation(runDir),
  'prediction.predict': (request, { signal, progress }) => predict(request, { signal, progress }),
  'runs.read': ({ runDir }) => readRunSummary(runDir),
};
