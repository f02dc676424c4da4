/**
 * Run records in project.json, written by the training code: a run is added as 'running' and its
 * status and results are updated as it goes; project.open marks runs of dead engines interrupted.
 */
import path from 'node:path';
import type { ProjectRun, ProjectRunStatus } from '../../../shared/contract/project';
import { StudioError, quote } from '../../../shared/errors';
import { markActive, markInactive, storedRunDir } from './runs';
import { load } from './load';
import { mutate } from './store';

/** What the training code says about a new run. */
export interface NewRun {
  /** Unique within the project, e.g. the run folder's name. */
  id: string;
  /** Run folder (absolute, or relative to the project folder). */
  dir: string;
  /** Default: now. */
  startedAt?: string;
}

/**
 * Adds a 'running' run (recording this engine's pid) and remembers it as active here, so a later
 * open does not mistake it for a run of a crashed engine.
 * @throws StudioError BAD_INPUT when the id exists.
 */
export async function addRun(projectDir: string, run: NewRun): Promise<ProjectRun> {
  const resolved = path.resolve(projectDir);
  const entry: ProjectRun = {
    id: run.id,
    dir: storedRunDir(resolved, run.dir),
    startedAt: run.startedAt ?? new Date().toISOString(),
    status: 'running',
    pid: process.pid,
  };
  let marked = false;
  try {
    await mutate(
      resolved,
      (project) => {
        if (project.runs.some((r) => r.id === run.id)) {
          throw new StudioError('BAD_INPUT', `The project already has a run ${quote(run.id)}; choose another id.`, {
            id: run.id,
          });
        }
        // Marked under the lock, before the write, so no open in this engine can take it for a dead engine's run.
        markActive(resolved, run.id);
        marked = true;
        return { ...project, runs: [...project.runs, entry] };
      },
      { checkSeen: false, label: `The new run ${quote(run.id)}` },
    );
  } catch (error) {
    if (marked) markInactive(resolved, run.id);
    throw error;
  }
  return entry;
}

/**
 * What the training code reports about a run. A field left out (or undefined) is kept; `null`
 * removes it (e.g. `error: null` when a failed run is resumed).
 */
export interface RunUpdate {
  status?: ProjectRunStatus;
  valAccuracy?: number | null;
  bestEpoch?: number | null;
  /** Why it failed, in plain words; null clears it. */
  error?: string | null;
  /** When it stopped; null clears it (a resumed run). Default: now when the status leaves 'running'. */
  endedAt?: string | null;
  /** Process id of the engine running it now (a resumed run runs in another engine); null clears it. */
  pid?: number | null;
}

/**
 * Updates a run's status and results; leaving 'running' stamps `endedAt` (unless given) and ends
 * its active mark, entering 'running' marks it active in this engine. Runs updates re-read the
 * file (they never conflict with the user's edits).
 * @throws StudioError NOT_FOUND when the project has no such run.
 */
export async function updateRun(projectDir: string, id: string, update: RunUpdate): Promise<ProjectRun> {
  const resolved = path.resolve(projectDir);
  let result: ProjectRun | undefined;
  if (update.status === 'running') markActive(resolved, id);
  const written = mutate(
    resolved,
    (project, now) => {
      const index = project.runs.findIndex((r) => r.id === id);
      if (index < 0) {
        throw new StudioError('NOT_FOUND', `The project ${quote(resolved)} has no run ${quote(id)}.`, { id });
      }
      const run: Record<string, unknown> = { ...project.runs[index]! };
      if (update.status && update.status !== 'running') run.endedAt = now;
      for (const [field, value] of Object.entries(update)) {
        if (value === null) delete run[field];
        else if (value !== undefined) run[field] = value;
      }
      result = run as ProjectRun;
      return { ...project, runs: project.runs.map((r, k) => (k === index ? result! : r)) };
    },
    { checkSeen: false, label: `The update of run ${quote(id)}` },
  );
  await written.catch((error: unknown) => {
    if (update.status === 'running') markInactive(resolved, id);
    throw error;
  });
  if (update.status && update.status !== 'running') markInactive(resolved, id);
  return result!;
}

/**
 * A project's run as recorded in project.json (read only: nothing is written, no run is marked
 * interrupted), or undefined when the project has no run with that id.
 * @throws StudioError NOT_FOUND when `projectDir` holds no project, BAD_INPUT when it cannot be read.
 */
export async function readProjectRun(projectDir: string, id: string): Promise<ProjectRun | undefined> {
  const { project } = await load(path.resolve(projectDir));
  return project.runs.find((run) => run.id === id);
}
