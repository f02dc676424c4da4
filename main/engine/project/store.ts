/**
 * The project store: `<dir>/project.json` (+ `cache/`, `runs/`), read through load.ts (validation, migration,
 * recovery), and changed only through {@link mutate}: serialized per project in this process, the
 * previous revision copied to project.json.bak, the new one written atomically (temp + fsync +
 * rename), and refused when another program changed the file since it was read.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  PROJECT_BACKUP_FILE,
  PROJECT_CACHE_DIR,
  PROJECT_FILE,
  PROJECT_FORMAT_VERSION,
  PROJECT_RUNS_DIR,
  ProjectFile,
  type ProjectFile as ProjectFileData,
  type ProjectOpened,
  type ProjectPatch,
} from '../../../shared/contract/project';
import { StudioError, quote } from '../../../shared/errors';
import { removeStaleTemps, writeFileAtomic } from '../fs/atomic-write';
import { serialize } from './lock';
import { rememberProject } from './recent';
import { interruptRuns } from './runs';
import { load, readText, type Loaded } from './load';
import { checkProject } from './validate';

/** Revision of each project.json this engine last read or wrote, by absolute file path. */
const seenRevision = new Map<string, number>();

/** Files that may sit in a folder that is still "empty" for create. */
const IGNORABLE = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.localized']);

const fileOf = (dir: string) => path.join(dir, PROJECT_FILE);
const serialized = <T>(dir: string, work: () => Promise<T>) => serialize(`project:${fileOf(dir)}`, work);

/** The revision a project.json text claims, for messages. */
function revisionIn(text: string | null): number | string {
  try {
    return (JSON.parse(text ?? '') as { revision?: number }).revision ?? 'unknown';
  } catch {
    return 'unreadable';
  }
}

/** Error for a project.json changed by someone else since it was read. */
function conflict(file: string, found: number | string, expected: number | string): StudioError {
  return new StudioError(
    'CONFLICT',
    `${quote(file)} was changed by another program (it is at revision ${found}; this window last read revision ${expected}). ` +
      'Nothing was written: reopen the project to see its current state, then make your change again.',
    { file, reason: 'conflict', revision: found, expectedRevision: expected },
  );
}

/** Writes `next` as the new project.json after keeping the current good text as the backup. */
async function commit(dir: string, loaded: Loaded, next: ProjectFileData): Promise<void> {
  const file = fileOf(dir);
  if (loaded.restored && loaded.diskText !== null) {
    await writeFileAtomic(`${file}.corrupt`, loaded.diskText);
  } else if (loaded.diskText !== null) {
    await writeFileAtomic(path.join(dir, PROJECT_BACKUP_FILE), loaded.diskText);
  }
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, {
    beforeRename: async () => {
      const now = await readText(file);
      if (now !== loaded.diskText) {
        throw conflict(file, revisionIn(now), loaded.project.revision);
      }
    },
  });
  seenRevision.set(file, next.revision);
}

/** Options of {@link mutate}. */
interface MutateOptions {
  /** Refuse unless the file is at this revision. Default: not checked. */
  expectedRevision?: number;
  /** Refuse when the file changed since this engine last read it (user edits based on a stale view). Default: true. */
  checkSeen?: boolean;
  /** How the change is named in validation errors. Default: "The update of <file>". */
  label?: string;
}

/**
 * The one way to change a project: under the per-project lock, load (recovering if needed), apply
 * `change` (return undefined for "no change"), validate, and commit atomically with a backup.
 */
/** Applies a change to a project under its lock, atomically. For run-records.ts; others use updateProject. */
export async function mutate(
  dir: string,
  change: (project: ProjectFileData, now: string) => ProjectFileData | undefined,
  options: MutateOptions = {},
): Promise<ProjectOpened> {
  const resolved = path.resolve(dir);
  // Changes that do not depend on what the caller saw (open, run updates) simply retry on a race.
  const attempts = options.checkSeen === false && options.expectedRevision === undefined ? 5 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await mutateOnce(resolved, change, options);
    } catch (error) {
      const isConflict = error instanceof StudioError && error.code === 'CONFLICT';
      if (!isConflict || attempt >= attempts) throw error;
    }
  }
}

async function mutateOnce(
  resolved: string,
  change: (project: ProjectFileData, now: string) => ProjectFileData | undefined,
  options: MutateOptions,
): Promise<ProjectOpened> {
  const file = fileOf(resolved);
  return serialized(resolved, async () => {
    const loaded = await load(resolved);
    const disk = loaded.project.revision;
    if (!loaded.restored) {
      if (options.expectedRevision !== undefined && options.expectedRevision !== disk)
        throw conflict(file, disk, options.expectedRevision);
      const seen = seenRevision.get(file);
      if (
        (options.checkSeen ?? true) &&
        options.expectedRevision === undefined &&
        seen !== undefined &&
        seen !== disk
      ) {
        throw conflict(file, disk, seen);
      }
    }
    const now = new Date().toISOString();
    const changed = change(loaded.project, now);
    if (changed === undefined && !loaded.dirty) {
      seenRevision.set(file, disk);
      return { dir: resolved, file, project: loaded.project, warnings: loaded.warnings };
    }
    const candidate = { ...(changed ?? loaded.project), revision: disk + 1, updatedAt: now };
    const next = checkProject(candidate, options.label ?? `The update of ${quote(file)}`, file);
    await commit(resolved, loaded, next);
    return { dir: resolved, file, project: next, warnings: loaded.warnings };
  });
}

/** A new project's content: defaults from the contract (bundled MobileNetV2, default head, TrainConfig defaults). */
export function newProject(name: string, now = new Date().toISOString()): ProjectFileData {
  return ProjectFile.parse({
    formatVersion: PROJECT_FORMAT_VERSION,
    revision: 1,
    name,
    createdAt: now,
    updatedAt: now,
  });
}

/** Options of {@link createProject}. */
export interface CreateOptions {
  /** Display name. Default: the folder's name. */
  name?: string;
  /** Add it to the recent projects list. Default: true. */
  remember?: boolean;
}

/**
 * Creates `<dir>/project.json`, `<dir>/cache/` and `<dir>/runs/` (creating `dir` if needed).
 * @throws StudioError BAD_INPUT when `dir` already holds a project, is a file, or is a non-empty folder (quoting its entries).
 */
export async function createProject(dir: string, options: CreateOptions = {}): Promise<ProjectOpened> {
  const resolved = path.resolve(dir);
  const file = fileOf(resolved);
  const opened = await serialized(resolved, async () => {
    const info = await stat(resolved).catch(() => undefined);
    if (info && !info.isDirectory()) {
      throw new StudioError(
        'BAD_INPUT',
        `${quote(resolved)} is a file, not a folder; choose a folder for the project.`,
        { dir: resolved },
      );
    }
    if (info) {
      const entries = (await readdir(resolved)).filter((name) => !IGNORABLE.has(name));
      if (entries.includes(PROJECT_FILE)) {
        throw new StudioError(
          'BAD_INPUT',
          `${quote(resolved)} already holds a project; open it instead of creating one.`,
          { dir: resolved },
        );
      }
      if (entries.length > 0) {
        const shown = entries
          .slice(0, 5)
          .map((name) => quote(name))
          .join(', ');
        throw new StudioError(
          'BAD_INPUT',
          `${quote(resolved)} is not empty and is not a project (it holds ${shown}${entries.length > 5 ? ', …' : ''}); choose an empty or new folder.`,
          { dir: resolved, entries: entries.slice(0, 20) },
        );
      }
    }
    await mkdir(path.join(resolved, PROJECT_CACHE_DIR), { recursive: true });
    await mkdir(path.join(resolved, PROJECT_RUNS_DIR), { recursive: true });
    const project = newProject(options.name ?? (path.basename(resolved) || 'Untitled project'));
    await writeFileAtomic(file, `${JSON.stringify(project, null, 2)}\n`, {
      beforeRename: async () => {
        if ((await readText(file)) !== null)
          throw new StudioError('BAD_INPUT', `${quote(resolved)} became a project while creating it; open it instead.`);
      },
    });
    seenRevision.set(file, project.revision);
    return { dir: resolved, file, project, warnings: [] };
  });
  if (options.remember ?? true) await rememberProject(resolved, opened.project.name);
  return opened;
}

/** Options of {@link openProject}. */
export interface OpenOptions {
  /** Add it to the recent projects list. Default: true. */
  remember?: boolean;
}

/**
 * Opens a project: validates it (naming the file and field when bad), migrates older formats,
 * restores from project.json.bak when project.json is damaged (with a warning), and marks runs
 * left 'running' by a dead engine as 'interrupted'. Writes back only when something changed.
 */
export async function openProject(dir: string, options: OpenOptions = {}): Promise<ProjectOpened> {
  const resolved = path.resolve(dir);
  await removeStaleTemps(fileOf(resolved));
  await removeStaleTemps(path.join(resolved, PROJECT_BACKUP_FILE));
  const opened = await mutate(
    resolved,
    (project, now) => {
      const runs = interruptRuns(resolved, project.runs, now);
      return runs ? { ...project, runs } : undefined;
    },
    { checkSeen: false, label: `${quote(fileOf(resolved))} after marking interrupted runs` },
  );
  if (options.remember ?? true) await rememberProject(resolved, opened.project.name);
  return opened;
}

/** Options of {@link updateProject}. */
export interface UpdateOptions {
  /** Refuse unless project.json is at this revision. Default: refuse only if it changed since this engine last read it. */
  expectedRevision?: number;
}

/**
 * Replaces the sections named in `patch` (each validated; a head is checked for bad units, rates,
 * names and output, quoting the value) and writes the new revision atomically.
 * @throws StudioError BAD_INPUT naming the field and value, or when another program changed the file.
 */
export async function updateProject(
  dir: string,
  patch: ProjectPatch,
  options: UpdateOptions = {},
): Promise<ProjectOpened> {
  const sections = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  // An empty patch changes nothing and writes nothing (still checked against the revision).
  return mutate(dir, (project) => (Object.keys(sections).length === 0 ? undefined : { ...project, ...sections }), {
    expectedRevision: options.expectedRevision,
    label: `The update of ${quote(fileOf(path.resolve(dir)))}`,
  });
}
