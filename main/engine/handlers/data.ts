import type { dataContract } from '../../../shared/contract/data';
import type { HandlerMap } from '../handler';

/** Handlers of the data domain (see shared/contract/data.ts). */
export const dataHandlers: HandlerMap<keyof typeof dataContract> = {};
