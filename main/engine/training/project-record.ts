/**
 * A training run inside a project (training.train with `projectDir`): where its folder goes by
 * default, and its record in project.json's `runs` — added when it starts, updated on every status
 * change (running → completed / cancelled / failed; 'interrupted' is set by project.open for runs
 * whose engine died). Uses the project store's helpers, so writes are atomic, backed up and serialized.
 */
import path from 'node:path';
import { PROJECT_CACHE_DIR, PROJECT_RUNS_DIR } from '../../../shared/contract/project';
import { addRun, updateRun, type RunUpdate } from '../project/store';
import { markActive } from '../project/runs';
import type { RunState, RunStatus } from './run-state';

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
 * A resumed run is marked active in this engine first, so a project.open here does not take it
 * for a run of a dead engine.
 */
export async function recordRunStatus(ref: ProjectRunRef, state: RunState, status: RunStatus): Promise<void> {
  if (status === 'running') markActive(ref.dir, ref.runId);
  const update: RunUpdate = { status };
  if (state.best) {
    update.valAccuracy = state.best.valAccuracy;
    update.bestEpoch = state.best.epoch;
  }
  if (status === 'failed' || status === 'cancelled') update.error = state.error;
  await updateRun(ref.dir, ref.runId, update);
}
