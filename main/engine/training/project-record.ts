/**
 * A training run inside a project (training.train with `projectDir`): where its folder goes by
 * default, and its record in project.json's `runs` — added when it starts, updated on every status
 * change (running → completed / cancelled / failed; 'interrupted' is set by project.open for runs
 * whose engine died). Uses the project store's helpers, so writes are atomic, backed up and serialized.
 */
import path from 'node:path';
import { PROJECT_CACHE_DIR, PROJECT_RUNS_DIR } from '../../../shared/contract/project';
import { StudioError, quote } from '../../../shared/errors';
import { addRun, readProjectRun, updateRun, type RunUpdate } from '../project/run-records';
import { resolveRunDir } from '../project/runs';
import type { RunState, RunStatus } from '../run-folder/run-file';

/** Which project run a run folder belongs to (kept in run.json so a resume updates the same record). */
export interface ProjectRunRef {
  /** Absolute project folder. */
  dir: string;
  /** The run's id in project.json. */
  runId: string;
}

/** A run id from the time, e.g. "2025-01-31T14-05-09-123Z" (the renderer's run folder names look the same). */
export function runIdFor(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Run folder, cache folder and run id of a project run: `<projectDir>/runs/<id>` and `<projectDir>/cache` unless given. */
export function projectRunPaths(
  projectDir: string,
  runDir: string | undefined,
  cacheDir: string | undefined,
): { runDir: string; cacheDir: string; ref: ProjectRunRef } {
  const dir = path.resolve(projectDir);
  const resolvedRunDir = runDir ? path.resolve(runDir) : path.join(dir, PROJECT_RUNS_DIR, runIdFor());
  return {
    runDir: resolvedRunDir,
    cacheDir: cacheDir ?? path.join(dir, PROJECT_CACHE_DIR),
    ref: { dir, runId: path.basename(resolvedRunDir) },
  };
}

/**
 * Adds the run to the project as 'running'.
 * @throws StudioError NOT_FOUND when `ref.dir` holds no project, BAD_INPUT when the run id exists.
 */
export async function recordRunStart(ref: ProjectRunRef, runDir: string, startedAt: string): Promise<void> {
  await addRun(ref.dir, { id: ref.runId, dir: runDir, startedAt });
}

/**
 * Writes the run's status, best validation accuracy / epoch and error (if any) to its project record.
 * 'running' (a resume) marks the run active in this engine, records this engine's pid (so another
 * engine does not take it for a dead engine's run) and clears the previous session's error and end.
 */
export async function recordRunStatus(ref: ProjectRunRef, state: RunState, status: RunStatus): Promise<void> {
  const update: RunUpdate = { status };
  if (state.best) {
    update.valAccuracy = state.best.valAccuracy;
    update.bestEpoch = state.best.epoch;
  }
  if (status === 'running') Object.assign(update, { pid: process.pid, error: null, endedAt: null });
  if (status === 'failed' || status === 'cancelled') update.error = state.error ?? null;
  if (status === 'completed') update.error = null;
  await updateRun(ref.dir, ref.runId, update);
}

/**
 * Checks, before a resume writes to it, that the project named in run.json really owns this run
 * folder. The host only checked `runDir` (it cannot see inside run.json), so run.json alone is not
 * trusted: the project folder must hold a project whose own project.json lists a run with this id
 * stored at exactly this folder. For the default layout that means the project is the run folder's
 * grandparent (`<project>/runs/<id>`); a run started with an explicit run folder elsewhere is
 * accepted because project.json recorded that absolute folder when the run started.
 * @throws StudioError BAD_INPUT naming both folders when they do not match; NOT_FOUND when the project is gone.
 */
export async function verifyProjectOwnsRun(ref: ProjectRunRef, runDir: string): Promise<void> {
  const projectDir = path.resolve(ref.dir);
  const refuse = (why: string) =>
    new StudioError(
      'BAD_INPUT',
      `The run in ${quote(runDir)} says it belongs to the project ${quote(projectDir)}, but ${why}; ` +
        'it was not resumed (nothing was written). Start a new run instead.',
      { runDir, projectDir, runId: ref.runId },
    );
  let run;
  try {
    run = await readProjectRun(projectDir, ref.runId);
  } catch (error) {
    if (error instanceof StudioError && error.code === 'NOT_FOUND') throw refuse('that folder holds no project');
    throw error;
  }
  if (!run) throw refuse(`that project has no run ${quote(ref.runId)}`);
  const recorded = resolveRunDir(projectDir, run);
  if (recorded !== path.resolve(runDir))
    throw refuse(`that project keeps its run ${quote(ref.runId)} in ${quote(recorded)}`);
}
