import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { pruneFolders, saveModel } from '../checkpoint';
import { writeRunState, type RunState, type TrainingPhase } from '../../run-folder/run-file';
import { BEST_FOLDER_PREFIX, CHECKPOINT_FOLDER_PREFIX, bestFolder, checkpointFolder } from '../../run-folder/layout';
import type { BestWeightsCallback } from './early-stopping';
import { epochMetrics, resolveLogs, type RawLogs } from './logs';

/**
 * After every finished epoch: appends to the run's history, saves the model with its optimizer
 * state as `checkpoint-<epoch>/`, saves `best-<epoch>/` when the epoch is a new best, then
 * rewrites run.json to point at them and removes older folders. A crash at any moment leaves
 * run.json naming complete folders. Place it after {@link BestWeightsCallback}.
 */
export class CheckpointCallback extends tf.Callback {
  constructor(
    private readonly runDir: string,
    private readonly state: RunState,
    private readonly phase: TrainingPhase,
    private readonly best: BestWeightsCallback,
    /** Also called after each save (tests use it to kill the engine at a known point). */
    private readonly onSaved: (epoch: number) => void | Promise<void> = () => undefined,
  ) {
    super();
  }

  override async onEpochEnd(epoch: number, raw?: RawLogs): Promise<void> {
    const metrics = epochMetrics(await resolveLogs(raw));
    if (!metrics) return; // cancelled mid-epoch: the previous checkpoint stays current
    const state = this.state;
    state.history.push({ epoch, phase: this.phase, ...metrics });
    const folder = checkpointFolder(epoch);
    await saveModel(this.model, path.join(this.runDir, folder), true);
    state.checkpoint = { folder, epoch, phase: this.phase };
    if (this.best.improved) {
      const bestName = bestFolder(epoch);
      await saveModel(this.model, path.join(this.runDir, bestName), false);
      state.best = { folder: bestName, epoch, phase: this.phase, valLoss: metrics.valLoss, valAccuracy: metrics.valAccuracy, wait: 0 };
    } else if (state.best) {
      state.best.wait = this.best.wait;
    }
    await writeRunState(this.runDir, state);
    await pruneFolders(this.runDir, CHECKPOINT_FOLDER_PREFIX, [folder]);
    await pruneFolders(this.runDir, BEST_FOLDER_PREFIX, state.best ? [state.best.folder] : []);
    await this.onSaved(epoch);
  }
}
