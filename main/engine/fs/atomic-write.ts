/**
 * Atomic file writes, the one way the engine writes a file that must never be seen half-written:
 * temp file in the same folder → write → fsync → (last check) → rename over the target → fsync the
 * folder. A crash at any point leaves either the old file or the new one, never a truncated mix;
 * what a crash can leave is a temp file, which is never the target and which
 * {@link removeStaleTemps} clears once its writer is dead.
 *
 * Written here rather than with write-file-atomic because the project store needs a hook between
 * the fsync and the rename (to refuse when another program changed the file meanwhile) and temp
 * names that tell a dead writer's leftovers from a live one's. Temp names come from the pid and
 * crypto random bytes, never from `Math.random` (which seeded training replaces).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../process-alive';

export interface AtomicWriteOptions {
  /**
   * Runs after the temp file is complete and before the rename; throwing aborts the write (the
   * temp file is removed, the target is untouched). Default: none.
   */
  beforeRename?: () => Promise<void>;
  /**
   * fsync the temp file and the folder, so the new content survives power loss. Turn off for
   * derived data that is cheap to rebuild (the rename stays atomic). Default: true.
   */
  durable?: boolean;
  /** Create the target's folder (and its parents) first. Default: false. */
  createFolder?: boolean;
  /** Permission bits of a new file, before the umask. Default: 0o666. */
  mode?: number;
}

/** `.<name>.<pid>.<8 hex digits>.tmp`: hidden, and carrying the writer's pid. */
const TEMP_PATTERN = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** A fresh temp file name beside `file`, carrying our pid so stale temps of dead processes can be told apart. */
export function tempPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` (text as UTF-8, or bytes) to `file` atomically (see the file comment).
 * @param options Default: durable, no hook, the folder must exist, mode 0o666.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  if (options.createFolder) await mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathOf(file);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o666);
    try {
      await handle.writeFile(data);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.beforeRename) await options.beforeRename();
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await syncFolder(path.dirname(file));
}

/** fsyncs a folder so a rename in it survives power loss (not possible on Windows: ignored). */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open folders for fsync; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

/**
 * Removes the temp files of `file` left by processes that died mid-write (live writers' temps,
 * ours included, stay). Returns how many were removed.
 */
export async function removeStaleTemps(file: string): Promise<number> {
  const base = path.basename(file);
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(path.dirname(file));
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || match[1] !== base) continue;
    if (processAlive(Number(match[2]))) continue; // ours or another live writer's: in use
    await rm(path.join(path.dirname(file), name), { force: true });
    removed++;
  }
  return removed;
}
