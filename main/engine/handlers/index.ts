import type { EngineMethod } from '../../../shared/contract';
import type { HandlerMap } from '../handler';
import { systemHandlers } from './system';
import { dataHandlers } from './data';
import { modelsHandlers } from './models';
import { trainingHandlers } from './training';
import { projectHandlers } from './project';
import { exportHandlers } from './export';
import { evaluateHandlers } from './evaluate';
import { insightHandlers } from './insight';

/** Every engine method's handler; the type makes a missing handler a compile error. */
export type EngineHandlers = HandlerMap<EngineMethod>;

export function createHandlers(): EngineHandlers {
  return {
    ...systemHandlers,
    ...dataHandlers,
    ...modelsHandlers,
    ...trainingHandlers,
    ...projectHandlers,
    ...exportHandlers,
    ...evaluateHandlers,
    ...insightHandlers,
  };
}
