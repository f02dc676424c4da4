/**
 * The runs list of a project: which runs this engine is running, which were left 'running' by an
 * engine that died (→ 'interrupted'), and run folders stored relative to the project folder.
 */
import path from 'node:path';
import type { ProjectRun } from '../../../shared/contract/project';
import { processAlive } from '../process-alive';

/** Runs started by this engine process and not finished yet, by `<project dir>\0<run id>`. */
const active = new Set<string>();

const keyOf = (projectDir: string, id: string) => `${path.resolve(projectDir)}\0${id}`;

/** Records that this engine is running the run (see {@link interruptRuns}). */
export function markActive(projectDir: string, id: string): void {
  active.add(keyOf(projectDir, id));
}

/** Records that this engine no longer runs the run. */
export function markInactive(projectDir: string, id: string): void {
  active.delete(keyOf(projectDir, id));
}

/** The message stored on a run whose engine died before it finished. */
export const INTERRUPTED_MESSAGE =
  'The engine stopped (crash, kill or power loss) before this run finished; its last checkpoint can be resumed.';

/**
 * Marks 'running' runs that nobody is running any more as 'interrupted': runs not active in this
 * engine whose recorded engine process is gone (or is this process, which would know them).
 * A run of another live engine (e.g. the CLI training while the app is open) is left alone.
 * Returns the new list, or undefined when nothing changed.
 */
export function interruptRuns(projectDir: string, runs: readonly ProjectRun[], now: string): ProjectRun[] | undefined {
  let changed = false;
  const next = runs.map((run) => {
    if (run.status !== 'running' || active.has(keyOf(projectDir, run.id))) return run;
    if (run.pid !== undefined && run.pid !== process.pid && processAlive(run.pid)) return run;
    changed = true;
    return { ...run, status: 'interrupted' as const, endedAt: now, error: INTERRUPTED_MESSAGE };
  });
  return changed ? next : undefined;
}

/** A run folder as stored: relative ('/'-separated) when inside the project folder, absolute otherwise. */
export function storedRunDir(projectDir: string, runDir: string): string {
  const relative = path.relative(path.resolve(projectDir), path.resolve(projectDir, runDir));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    return path.resolve(projectDir, runDir);
  return relative.split(path.sep).join('/');
}

/** The absolute folder of a stored run. */
export function resolveRunDir(projectDir: string, run: Pick<ProjectRun, 'dir'>): string {
  return path.resolve(projectDir, run.dir);
}
