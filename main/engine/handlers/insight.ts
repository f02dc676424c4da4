import type { insightContract } from '../../../shared/contract/insight';
import type { HandlerMap } from '../handler';
import { readInsight } from '../insight/insight-file';
import { inspectDataset } from '../insight/inspect';

/** Handlers of dataset insight (see shared/contract/insight.ts). Thin: the work is in ../insight/. */
export const insightHandlers: HandlerMap<keyof typeof insightContract> = {
  'insight.inspect': (request, { signal, progress }) => inspectDataset(request, { signal, progress }),
  'insight.read': ({ projectDir }, { signal }) => readInsight(projectDir, signal),
};
