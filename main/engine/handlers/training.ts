import type { trainingContract } from '../../../shared/contract/training';
import type { HandlerMap } from '../handler';
import { resumeRun, trainRun } from '../training/run';

/** Handlers of the training domain (see shared/contract/training.ts). Thin: the work is in ../training/run.ts. */
export const trainingHandlers: HandlerMap<keyof typeof trainingContract> = {
  'training.train': (request, { signal, progress }) => trainRun(request, { signal, progress }),
  'training.resume': ({ runDir, allowChangedData }, { signal, progress }) =>
    resumeRun(runDir, { signal, progress }, { allowChangedData: allowChangedData ?? false }),
};
