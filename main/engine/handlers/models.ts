import type { modelsContract } from '../../../shared/contract/models';
import type { HandlerMap } from '../handler';

/** Handlers of the models domain (see shared/contract/models.ts). */
export const modelsHandlers: HandlerMap<keyof typeof modelsContract> = {};
