/**
 * Where the steps after training (Evaluate, Export) find a run's final model: `model/`, which is
 * complete exactly when run.json says `completed` (docs/run-folder.md).
 */
import { StudioError, quote } from '../../../shared/errors';
import { modelDir } from './layout';
import type { RunState } from './run-file';

/**
 * Absolute path of the final model folder of a completed run.
 * @throws StudioError BAD_INPUT naming the folder and the status when the run has not completed.
 */
export function finalModelDir(runDir: string, state: Pick<RunState, 'status'>): string {
  if (state.status !== 'completed') {
    const next = state.status === 'failed' ? 'start a new run' : 'resume it (training.resume) until it completes';
    throw new StudioError(
      'BAD_INPUT',
      `The run in ${quote(runDir)} has no final model: its status is ${quote(state.status)}, not "completed"; ${next}.`,
      { runDir, field: 'status', received: state.status },
    );
  }
  return modelDir(runDir);
}
