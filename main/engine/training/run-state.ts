/**
 * run.json: everything needed to report on a run and to resume it after the engine was killed —
 * the request, classes, history, and which checkpoint folders hold the last and the best weights.
 * Written atomically after every epoch; the checkpoint folders it names are complete before it
 * names them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EpochRecord, TrainRequest } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import type { LabelledImage } from './extract';
import type { ProjectRunRef } from './project-record';

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed';
export type TrainingPhase = 'head' | 'fine-tune';

/** A saved model folder inside the run folder and the epoch it was saved after. */
export interface SavedPoint {
  folder: string;
  epoch: number;
  phase: TrainingPhase;
}

export interface RunState {
  version: 1;
  status: RunStatus;
  /**
   * The request, with `dataset` (the spec scanned: sources, renames, merges, exclusions) and `split`
   * (fractions and seed) filled in when the run started, so a resume sees the same classes and split.
   */
  request: TrainRequest;
  base: string;
  backend: string;
  classes: string[];
  history: EpochRecord[];
  /** The last finished epoch's model (with optimizer state). */
  checkpoint?: SavedPoint;
  /** The best epoch so far (lowest val_loss) and the early-stopping counter. */
  best?: SavedPoint & { valLoss: number; valAccuracy: number; wait: number };
  /** Epoch (global) at which phase 2 starts; set when phase 1 is over. */
  fineTuneStartEpoch?: number;
  /** True once phase 1 early-stopped or ran out of epochs. */
  headDone: boolean;
  /** Milliseconds spent training, summed over resumed sessions. */
  durationMs: number;
  startedAt: string;
  updatedAt: string;
  error?: string;
  /** The test split, held out of training and validation (label = index into `classes`), for evaluation. */
  test?: { count: number; images: LabelledImage[] };
  /** The project record of a run started with `projectDir` (absent otherwise). */
  project?: ProjectRunRef;
}

export const RUN_FILE = 'run.json';

/** Writes `run.json` atomically. */
export async function writeRunState(runDir: string, state: RunState): Promise<void> {
  state.updatedAt = new Date().toISOString();
  await writeFileAtomic(path.join(runDir, RUN_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Reads `run.json`. @throws StudioError NOT_FOUND / BAD_INPUT naming the folder. */
export async function readRunState(runDir: string): Promise<RunState> {
  let text: string;
  try {
    text = await readFile(path.join(runDir, RUN_FILE), 'utf8');
  } catch {
    throw new StudioError('NOT_FOUND', `No run found in ${JSON.stringify(runDir)} (it has no ${RUN_FILE}).`);
  }
  const state = JSON.parse(text) as RunState;
  if (state.version !== 1 || !state.request) {
    throw new StudioError('BAD_INPUT', `${JSON.stringify(path.join(runDir, RUN_FILE))} is not a run file of this version.`);
  }
  return state;
}
