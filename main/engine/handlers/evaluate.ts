import type { evaluateContract } from '../../../shared/contract/evaluate';
import { StudioError } from '../../../shared/errors';
import type { HandlerMap } from '../handler';

function notYet(method: string): never {
  throw new StudioError('UNSUPPORTED', `${method} is declared in the contract but not implemented in this build yet.`);
}

/** Handlers of Evaluate, Predict and the runs list (see shared/contract/evaluate.ts). */
export const evaluateHandlers: HandlerMap<keyof typeof evaluateContract> = {
  'evaluation.evaluate': () => Promise.reject(notYet('evaluation.evaluate')),
  'evaluation.read': () => Promise.reject(notYet('evaluation.read')),
  'prediction.predict': () => Promise.reject(notYet('prediction.predict')),
  'runs.read': () => Promise.reject(notYet('runs.read')),
};
