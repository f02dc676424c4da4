/**
 * Reads and writes run.json (shared/contract/run-file.ts): everything needed to report on a run and
 * to resume it after the engine was killed. Reading parses the JSON, migrates older versions and
 * checks the schema, so a bad file fails here with its path, the field and the value received,
 * never later. Writing checks the same schema and replaces the file atomically; callers write it
 * only after the folders it names are complete (docs/run-folder.md).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic-write';
import { z } from 'zod';
import { RunFile } from '../../../shared/contract/run-file';
import { StudioError, quote } from '../../../shared/errors';
import { schemaIssues, type ProjectIssue } from '../project/validate';
import { RUN_FILE, runFilePath } from './layout';
import { migrateRunFile } from './migrate';
import { parseJsonObject } from '../fs/json-object';

export type { RunStatus, TrainingPhase, SavedPoint, BestPoint } from '../../../shared/contract/run-file';

/** The content of run.json, current version. */
export type RunState = RunFile;

/** Schema issues as "field: message, received value"; a bad record key (e.g. of `exports`) quotes the key. */
function runFileIssues(error: z.ZodError, raw: unknown): ProjectIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'invalid_key') return schemaIssues(new z.ZodError([issue]), raw);
    const why = issue.issues[0]?.message ?? issue.message;
    return [{ field: issue.path.map(String).join('.'), message: `${why}, received key ${quote(issue.path.at(-1))}` }];
  });
}

/** Throws BAD_INPUT listing every schema issue of `raw` as "field: message, received value". */
function checkRunFile(raw: unknown, where: string, file: string): RunState {
  const parsed = RunFile.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = runFileIssues(parsed.error, raw);
  const list = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  throw new StudioError('BAD_INPUT', `${where} is not a valid run file: ${list}.`, { file, issues });
}

/**
 * Parses run.json text: JSON → migration to the current version → schema.
 * @param file the path shown in errors.
 * @throws StudioError BAD_INPUT naming the file (and the field and value received), UNSUPPORTED for a newer version.
 */
export function parseRunFileText(text: string, file: string): { state: RunState; migratedFrom?: number } {
  const raw = parseJsonObject(text, file, 'a run file');
  const { raw: current, from } = migrateRunFile(raw, file);
  const state = checkRunFile(current, quote(file), file);
  return from < state.version ? { state, migratedFrom: from } : { state };
}

/**
 * Reads `<runDir>/run.json`, migrating older versions in memory.
 * @throws StudioError NOT_FOUND when the folder has no run.json; BAD_INPUT when it cannot be read, is
 *   not JSON, is not a run file, or has a bad field (named, with the value received); UNSUPPORTED when
 *   a newer Transfer Studio wrote it.
 */
export async function readRunState(runDir: string): Promise<RunState> {
  const file = runFilePath(runDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new StudioError('NOT_FOUND', `No run found in ${quote(runDir)} (it has no ${RUN_FILE}).`, { file });
    }
    throw new StudioError('BAD_INPUT', `${quote(file)} cannot be read (${code ?? (error as Error).message}).`, {
      file,
    });
  }
  return parseRunFileText(text, file).state;
}

/**
 * Sets `updatedAt`, checks `state` against the schema and replaces run.json atomically (temp file,
 * fsync, rename), so a reader or a crash never sees half a file.
 * @throws StudioError INTERNAL naming the bad field when `state` does not fit the schema (nothing is written).
 */
export async function writeRunState(runDir: string, state: RunState): Promise<void> {
  state.updatedAt = new Date().toISOString();
  const file = runFilePath(runDir);
  try {
    checkRunFile(state, `The run state to write to ${quote(file)}`, file);
  } catch (error) {
    const studio = error as StudioError;
    throw new StudioError('INTERNAL', studio.message, studio.details);
  }
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
