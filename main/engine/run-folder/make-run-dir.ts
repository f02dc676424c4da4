/**
 * Creates a run folder (and its parents), turning the filesystem's codes into words: the path given is a
 * file, a parent is a file, no permission, a read-only disk.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StudioError, quote } from '../../../shared/errors';

/** @throws StudioError BAD_INPUT naming the folder and why it cannot be made. */
export async function makeRunDir(runDir: string): Promise<void> {
  try {
    await makeFolders(path.resolve(runDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST'
        ? 'a file (not a folder) already has that name'
        : code === 'ENOTDIR'
          ? 'part of that path is a file, not a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'EROFS'
              ? 'the disk is read-only'
              : code === 'ENOSPC'
                ? 'the disk is full'
                : (error as Error).message;
    throw new StudioError(
      'BAD_INPUT',
      `The run folder ${quote(runDir)} cannot be created: ${why}. Choose another folder.`,
      {
        path: runDir,
        code,
      },
    );
  }
}

/**
 * `mkdir -p` one level at a time. (Node's `mkdir(…, {recursive: true})` spins forever on some paths,
 * e.g. under /proc, where the parent exists but the child can never be made.)
 */
async function makeFolders(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw error;
    }
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeFolders(parent);
    await mkdir(dir);
  }
}
