/**
 * Reading a project: project.json parsed, validated and migrated, with recovery from project.json.bak when the
 * file is damaged. Writing goes through the store (store.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  PROJECT_BACKUP_FILE,
  PROJECT_FILE,
  PROJECT_FORMAT_VERSION,
  type ProjectFile as ProjectFileData,
} from '../../../shared/contract/project';
import { StudioError, quote } from '../../../shared/errors';
import { parseProjectText } from './validate';

/** What {@link load} found on disk. */
export interface Loaded {
  project: ProjectFileData;
  /** The exact text of project.json as read (null when missing), to detect another writer before renaming. */
  diskText: string | null;
  warnings: string[];
  /** The content must be written back (migrated or restored from the backup). */
  dirty: boolean;
  /** project.json was unusable and the backup was used instead. */
  restored: boolean;
}

/** The text of `file`, or null when it does not exist. @throws StudioError BAD_INPUT when it cannot be read. */
export async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StudioError('BAD_INPUT', `${quote(file)} cannot be read (${(error as NodeJS.ErrnoException).code}).`, {
      file,
    });
  }
}

/** The backup's project, or why it cannot be used. */
function parseBackup(text: string | null, backup: string): ProjectFileData | string {
  if (text === null) return `${quote(backup)} does not exist`;
  try {
    return parseProjectText(text, backup).project;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Reads and validates `<dir>/project.json`, migrating old formats; when it is damaged, falls back to
 * project.json.bak with a warning. For the store and run-records.ts; others use openProject.
 */
export async function load(dir: string): Promise<Loaded> {
  const file = path.join(dir, PROJECT_FILE);
  const diskText = await readText(file);
  if (diskText === null) {
    throw new StudioError(
      'NOT_FOUND',
      `No project in ${quote(dir)}: it has no ${PROJECT_FILE}. Create a project there first (transfer-studio project create).`,
      { file },
    );
  }
  try {
    const { project, migratedFrom } = parseProjectText(diskText, file);
    const warnings =
      migratedFrom === undefined
        ? []
        : [`Upgraded ${PROJECT_FILE} from format ${migratedFrom} to ${PROJECT_FORMAT_VERSION}.`];
    return { project, diskText, warnings, dirty: migratedFrom !== undefined, restored: false };
  } catch (primary) {
    if (!(primary instanceof StudioError) || primary.code !== 'BAD_INPUT') throw primary;
    const backup = path.join(dir, PROJECT_BACKUP_FILE);
    const backupText = await readText(backup);
    const fallback = parseBackup(backupText, backup);
    if (typeof fallback === 'string') {
      throw new StudioError(
        'BAD_INPUT',
        `${primary.message} No usable backup either (${fallback}). Fix ${quote(file)} by hand, or restore it from a copy of your own.`,
        primary.details,
      );
    }
    const project = fallback;
    const warning =
      `${quote(file)} could not be used (${primary.message}); opened revision ${project.revision} from ${PROJECT_BACKUP_FILE} instead. ` +
      `The damaged file is kept as ${PROJECT_FILE}.corrupt.`;
    return { project, diskText, warnings: [warning], dirty: true, restored: true };
  }
}
