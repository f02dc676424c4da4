/**
 * evaluation.json in the run folder (docs/run-folder.md): written atomically first, then recorded in
 * run.json's `evaluation`, so a record always names a complete file. Read back through the same schema.
 */
import { readFile } from 'node:fs/promises';
import { Evaluation } from '../../../shared/contract/evaluate';
import type { EvaluationRecord } from '../../../shared/contract/run-file';
import { StudioError, quote } from '../../../shared/errors';
import { describeIssues } from '../../../shared/contract';
import { writeFileAtomic } from '../fs/atomic-write';
import { MODEL_FOLDER, evaluationPath } from '../run-folder/layout';
import { readRunState, writeRunState } from '../run-folder/run-file';

/**
 * Reads `<runDir>/evaluation.json`.
 * @returns null when the run has no evaluation yet.
 * @throws StudioError BAD_INPUT naming the file and the bad fields when it is not a valid evaluation.
 */
export async function readEvaluation(runDir: string): Promise<Evaluation | null> {
  const file = evaluationPath(runDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StudioError('BAD_INPUT', `${quote(file)} cannot be read (${(error as Error).message}).`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StudioError('BAD_INPUT', `${quote(file)} is not valid JSON (${(error as Error).message}).`, { file });
  }
  const parsed = Evaluation.safeParse(raw);
  if (!parsed.success) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)} is not a valid evaluation file: ${describeIssues(parsed.error)}.`,
      { file },
    );
  }
  return parsed.data;
}

/**
 * Writes evaluation.json atomically, then records it in run.json (`evaluation`).
 * @returns the record written to run.json.
 */
export async function saveEvaluation(runDir: string, evaluation: Evaluation): Promise<EvaluationRecord> {
  const checked = Evaluation.parse(evaluation);
  await writeFileAtomic(evaluationPath(runDir), `${JSON.stringify(checked, null, 2)}\n`);
  const record: EvaluationRecord = {
    writtenAt: checked.writtenAt,
    model: MODEL_FOLDER,
    images: checked.count,
    accuracy: checked.accuracy ?? Number.NaN,
  };
  const state = await readRunState(runDir);
  state.evaluation = record;
  await writeRunState(runDir, state);
  return record;
}
