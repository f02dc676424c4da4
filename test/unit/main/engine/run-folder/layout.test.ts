/** Every path inside a run folder comes from layout.ts (docs/run-folder.md); the final model from final-model.ts. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BEST_FOLDER_PREFIX,
  CHECKPOINT_FOLDER_PREFIX,
  bestFolder,
  checkpointFolder,
  evaluationPath,
  exportDir,
  exportsDir,
  headDir,
  modelDir,
  runFilePath,
  savedFolderPath,
} from '../../../../../main/engine/run-folder/layout';
import { finalModelDir } from '../../../../../main/engine/run-folder/final-model';

const run = path.join(path.sep, 'studio', 'pets', 'runs', 'r1');

describe('run folder layout', () => {
  it('names every file and folder of a run', () => {
    expect(runFilePath(run)).toBe(path.join(run, 'run.json'));
    expect(headDir(run)).toBe(path.join(run, 'head'));
    expect(modelDir(run)).toBe(path.join(run, 'model'));
    expect(evaluationPath(run)).toBe(path.join(run, 'evaluation.json'));
    expect(exportsDir(run)).toBe(path.join(run, 'exports'));
    expect(exportDir(run, 'tfjs')).toBe(path.join(run, 'exports', 'tfjs'));
    expect(exportDir(run, 'keras-h5')).toBe(path.join(run, 'exports', 'keras-h5'));
  });

  it('names checkpoint and best folders by epoch, with the prefixes used to prune older ones', () => {
    expect(checkpointFolder(0)).toBe('checkpoint-0');
    expect(bestFolder(12)).toBe('best-12');
    expect(checkpointFolder(3).startsWith(CHECKPOINT_FOLDER_PREFIX)).toBe(true);
    expect(bestFolder(3).startsWith(BEST_FOLDER_PREFIX)).toBe(true);
    expect(bestFolder(3).startsWith(CHECKPOINT_FOLDER_PREFIX)).toBe(false);
    expect(savedFolderPath(run, checkpointFolder(3))).toBe(path.join(run, 'checkpoint-3'));
  });

  it('refuses an epoch that is not a whole number ≥ 0, quoting it', () => {
    expect(() => checkpointFolder(-1)).toThrow('A checkpoint epoch must be a whole number ≥ 0, received -1.');
    expect(() => bestFolder(1.5)).toThrow('received 1.5');
  });

  it('refuses an export format that is not a plain id, quoting it (so no format leaves exports/)', () => {
    for (const format of ['../model', 'TFJS', '', 'a/b']) {
      expect(() => exportDir(run, format)).toThrow(
        `Export format must be an id of lower-case letters, digits and "-" (e.g. "tfjs"), received ${JSON.stringify(format)}.`,
      );
    }
  });
});

describe('final model of a run', () => {
  it('is model/ once the run completed', () => {
    expect(finalModelDir(run, { status: 'completed' })).toBe(path.join(run, 'model'));
  });

  it('is refused, naming the folder and the status, before that', () => {
    expect(() => finalModelDir(run, { status: 'cancelled' })).toThrow(
      `The run in ${JSON.stringify(run)} has no final model: its status is "cancelled", not "completed"; resume it (training.resume) until it completes.`,
    );
    expect(() => finalModelDir(run, { status: 'failed' })).toThrow(
      'its status is "failed", not "completed"; start a new run.',
    );
  });
});
