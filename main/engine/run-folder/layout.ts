/**
 * Every name inside a run folder (docs/run-folder.md). No other file spells these names: callers ask
 * here for the path of run.json, a checkpoint, head/, model/, evaluation.json or exports/<format>/.
 *
 *     <run>/run.json                 the record (shared/contract/run-file.ts)
 *     <run>/checkpoint-<epoch>/      last finished epoch: model + optimizer state (one kept)
 *     <run>/best-<epoch>/            best epoch so far: model (one kept)
 *     <run>/head/                    phase 1's head, once phase 1 is over
 *     <run>/model/                   the final model (base + head), once the run completed
 *     <run>/evaluation.json          the Evaluate step's result
 *     <run>/exports/<format>/        one folder per export format
 */
import path from 'node:path';
import { ExportFormatName } from '../../../shared/contract/run-file';
import { StudioError, quote } from '../../../shared/errors';

/** The record of the run. */
export const RUN_FILE = 'run.json';
/** Start of the name of the last-epoch checkpoint folder (`checkpoint-<epoch>`), for pruning older ones. */
export const CHECKPOINT_FOLDER_PREFIX = 'checkpoint-';
/** Start of the name of the best-epoch folder (`best-<epoch>`), for pruning older ones. */
export const BEST_FOLDER_PREFIX = 'best-';
/** Phase 1's head (with the best weights when restoring them). */
export const HEAD_FOLDER = 'head';
/** The final model: base + head, as trained (or fine-tuned). */
export const MODEL_FOLDER = 'model';
/** The Evaluate step's result. */
export const EVALUATION_FILE = 'evaluation.json';
/** Parent of one folder per export format. */
export const EXPORTS_FOLDER = 'exports';

/** Absolute path of run.json. */
export function runFilePath(runDir: string): string {
  return path.join(runDir, RUN_FILE);
}

function epochSuffix(epoch: number): string {
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new StudioError('INTERNAL', `A checkpoint epoch must be a whole number ≥ 0, received ${quote(epoch)}.`);
  }
  return String(epoch);
}

/** Name (not path) of the checkpoint folder of `epoch` (0-based, across phases), e.g. "checkpoint-3". */
export function checkpointFolder(epoch: number): string {
  return `${CHECKPOINT_FOLDER_PREFIX}${epochSuffix(epoch)}`;
}

/** Name (not path) of the best-weights folder of `epoch`, e.g. "best-2". */
export function bestFolder(epoch: number): string {
  return `${BEST_FOLDER_PREFIX}${epochSuffix(epoch)}`;
}

/** Absolute path of a folder named in run.json (`checkpoint.folder`, `best.folder`). */
export function savedFolderPath(runDir: string, folder: string): string {
  return path.join(runDir, folder);
}

/** Absolute path of `head/`. */
export function headDir(runDir: string): string {
  return path.join(runDir, HEAD_FOLDER);
}

/** Absolute path of `model/`. */
export function modelDir(runDir: string): string {
  return path.join(runDir, MODEL_FOLDER);
}

/** Absolute path of `evaluation.json`. */
export function evaluationPath(runDir: string): string {
  return path.join(runDir, EVALUATION_FILE);
}

/** Absolute path of `exports/`. */
export function exportsDir(runDir: string): string {
  return path.join(runDir, EXPORTS_FOLDER);
}

/**
 * Absolute path of `exports/<format>/`.
 * @throws StudioError BAD_INPUT when `format` is not a format id (lower-case letters, digits, "-"), quoting it.
 */
export function exportDir(runDir: string, format: string): string {
  if (!ExportFormatName.safeParse(format).success) {
    throw new StudioError(
      'BAD_INPUT',
      `Export format must be an id of lower-case letters, digits and "-" (e.g. "tfjs"), received ${quote(format)}.`,
      { field: 'format', received: format },
    );
  }
  return path.join(exportsDir(runDir), format);
}
