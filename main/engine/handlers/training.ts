import type { trainingContract } from '../../../shared/contract/training';
import type { HandlerMap } from '../handler';

/** Handlers of the training domain (see shared/contract/training.ts). */
export const trainingHandlers: HandlerMap<keyof typeof trainingContract> = {};
