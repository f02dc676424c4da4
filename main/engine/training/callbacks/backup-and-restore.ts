import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadWeightsFor, pruneFolders, restoreCheckpoint, saveModel } from '../checkpoint';
import { writeRunState, type RunState, type TrainingPhase } from '../../run-folder/run-file';
import { BEST_FOLDER_PREFIX, CHECKPOINT_FOLDER_PREFIX, bestFolder, checkpointFolder } from '../../run-folder/layout';
import type { BestWeightsCallback } from './early-stopping';
import { epochMetrics, resolveLogs, type RawLogs } from './logs';

/** Options of {@link BackupAndRestoreCallback}. */
export interface BackupAndRestoreOptions {
  /** The run folder: run.json and the checkpoint folders. */
  runDir: string;
  /** The run's state, kept in memory and written to run.json after every save. */
  state: RunState;
  /** The phase this callback watches; it resumes only from a checkpoint of this phase. */
  phase: TrainingPhase;
  /** The phase's early stopping: its state and best weights are saved and restored with the checkpoint. */
  best: BestWeightsCallback;
  /** Called after each save (tests kill the engine at a known point). Default: none. */
  onSaved?: (epoch: number) => void | Promise<void>;
}

/**
 * Checkpointing and resume in one place, the way Keras' `BackupAndRestore` does it, for every phase.
 *
 * `onTrainBegin`: when run.json names a checkpoint of this phase (the run was cancelled or killed
 * in it), puts back its weights and optimizer state, the best weights and early-stopping record
 * (when the best epoch is of this phase), and sets `params.initialEpoch` to the epoch after it.
 *
 * `onEpochEnd`: appends the epoch to the history, saves the model with its optimizer state as
 * `checkpoint-<epoch>/`, saves `best-<epoch>/` when the epoch is a new best, then rewrites run.json
 * to point at them and removes older folders. A crash at any moment leaves run.json naming
 * complete folders. Place it after the {@link BestWeightsCallback} (the runner puts that first).
 */
export class BackupAndRestoreCallback extends tf.Callback {
  constructor(private readonly options: BackupAndRestoreOptions) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    const { runDir, state, phase, best } = this.options;
    const checkpoint = state.checkpoint;
    if (checkpoint?.phase !== phase) return; // nothing of this phase to resume
    if (state.best?.phase === phase) {
      const record = state.best;
      best.restoreState({
        bestEpoch: record.epoch,
        bestValLoss: record.valLoss,
        bestValAccuracy: record.valAccuracy,
        wait: record.wait,
      });
      best.setBestWeights(await loadWeightsFor(this.model, path.join(runDir, record.folder)));
    }
    await restoreCheckpoint(this.model, path.join(runDir, checkpoint.folder));
    this.params.initialEpoch = checkpoint.epoch + 1;
  }

  override async onEpochEnd(epoch: number, raw?: RawLogs): Promise<void> {
    const { runDir, state, phase, best } = this.options;
    const metrics = epochMetrics(await resolveLogs(raw));
    if (!metrics) return; // cancelled mid-epoch: the previous checkpoint stays current
    state.history.push({ epoch, phase, ...metrics });
    const folder = checkpointFolder(epoch);
    await saveModel(this.model, path.join(runDir, folder), true);
    state.checkpoint = { folder, epoch, phase };
    if (best.improved) {
      const bestName = bestFolder(epoch);
      await saveModel(this.model, path.join(runDir, bestName), false);
      state.best = {
        folder: bestName,
        epoch,
        phase,
        valLoss: metrics.valLoss,
        valAccuracy: metrics.valAccuracy,
        wait: 0,
      };
    } else if (state.best) {
      state.best.wait = best.wait;
    }
    await writeRunState(runDir, state);
    await pruneFolders(runDir, CHECKPOINT_FOLDER_PREFIX, [folder]);
    await pruneFolders(runDir, BEST_FOLDER_PREFIX, state.best ? [state.best.folder] : []);
    await this.options.onSaved?.(epoch);
  }
}
