import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { PROJECT_FILE } from '../../shared/contract/project';
import path from 'node:path';
import { StudioError } from '../../shared/errors';
import type { AllowedRoots } from './roots';

const JUNK = new Set(['.DS_Store', 'Thumbs.db', '__MACOSX', 'desktop.ini']);

/** Lists a folder under an allowed root for the browser-mode folder picker: folders first, hidden files left out. */
export async function listDir(roots: AllowedRoots, folder: string) {
  roots.check(folder);
  let dirents;
  try {
    dirents = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
    throw new StudioError('NOT_FOUND', `${JSON.stringify(folder)} ${why}.`, { path: folder });
  }
  const entries = dirents
    .filter((d) => !d.name.startsWith('.') && !JUNK.has(d.name))
    .map((d) => {
      const full = path.join(folder, d.name);
      // A Transfer Studio project folder: shown, but never taken for a class of images.
      const isProject = d.isDirectory() && existsSync(path.join(full, PROJECT_FILE));
      return { name: d.name, path: full, isDirectory: d.isDirectory(), ...(isProject ? { isProject } : {}) };
    })
    .sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || a.name.localeCompare(b.name));
  const root = roots.rootOf(folder);
  const parent = root !== undefined && path.resolve(folder) !== root ? path.dirname(path.resolve(folder)) : null;
  return { path: folder, parent, entries };
}
