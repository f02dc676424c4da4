import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StudioError, quote } from '../../shared/errors';
import type { AllowedRoots } from './roots';

/**
 * Creates the folder `name` in `parent` (one level, never parents), for the folder browser's "New folder".
 * @throws StudioError PATH_NOT_ALLOWED outside the roots; CONFLICT when the name is taken; BAD_INPUT otherwise, in words.
 */
export async function makeDir(roots: AllowedRoots, parent: string, name: string): Promise<{ path: string }> {
  const target = path.join(parent, name);
  roots.check(target);
  try {
    await mkdir(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new StudioError('CONFLICT', `${quote(name)} already exists in ${quote(parent)}.`, { path: target });
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOENT'
          ? 'the folder it goes in does not exist'
          : (error as Error).message;
    throw new StudioError('BAD_INPUT', `The folder ${quote(target)} cannot be created: ${why}.`, {
      path: target,
      code,
    });
  }
  return { path: target };
}
