import type { Command } from 'commander';
import { registerInfo } from './info';
import { registerServe } from './serve';
import { registerScan } from './scan';
import { registerBases } from './bases';
import { registerSummary } from './summary';
import { registerFeatures } from './features';
import { registerTrain } from './train';
import { registerProject } from './project';
import { registerExport } from './export';
import { registerEvaluate } from './evaluate';
import { registerPredict } from './predict';
import { registerInspect } from './inspect';

/** Every CLI command; a new command is one file plus one line here. */
export const commandRegistrations: ((program: Command) => void)[] = [
  registerInfo,
  registerServe,
  registerScan,
  registerBases,
  registerSummary,
  registerFeatures,
  registerTrain,
  registerProject,
  registerExport,
  registerEvaluate,
  registerPredict,
  registerInspect,
];
