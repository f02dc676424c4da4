/**
 * A phase of a run: the phase runner with the run's BackupAndRestore (resume from and checkpoint
 * into the run folder) and progress callbacks. Both phases of a run go through here.
 */
import type { TrainProgress } from '../../../shared/contract/training';
import { cancelledError } from '../cancel';
import { BackupAndRestoreCallback } from './callbacks/backup-and-restore';
import { ProgressCallback } from './callbacks/progress';
import type { Phase, PhaseResult } from './phase';
import { runPhase } from './phase-runner';
import type { RunState, TrainingPhase } from '../run-folder/run-file';
import type { ReportOptions } from '../handler';

/** What a phase needs from its run. */
export interface RunPhaseContext {
  runDir: string;
  /** Updated (history, checkpoint, best) and written to run.json after every epoch. */
  state: RunState;
  progress: (progress: TrainProgress, options?: ReportOptions) => void;
  /** Called after each epoch's checkpoint is on disk. Default: none. */
  onEpochSaved?: (epoch: number) => void | Promise<void>;
}

/**
 * Runs `phase` as phase `name` of a run, then frees its best-weights copy.
 * @throws StudioError CANCELLED when the run's signal aborted it (the last checkpoint stays current).
 */
export async function runCheckpointedPhase(
  name: TrainingPhase,
  phase: Phase<unknown>,
  run: RunPhaseContext,
): Promise<PhaseResult> {
  const { runDir, state, onEpochSaved } = run;
  try {
    const result = await runPhase({
      ...phase,
      callbacks: [
        new BackupAndRestoreCallback({
          runDir,
          state,
          phase: name,
          best: phase.best,
          ...(onEpochSaved ? { onSaved: onEpochSaved } : {}),
        }),
        new ProgressCallback({
          phase: name,
          epochs: phase.epochs,
          batchesPerEpoch: phase.steps.batchesPerEpoch,
          report: run.progress,
        }),
        ...(phase.callbacks ?? []),
      ],
    });
    if (result.cancelled) throw cancelledError('Training');
    return result;
  } finally {
    phase.best.dispose();
  }
}
