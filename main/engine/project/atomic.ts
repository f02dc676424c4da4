/**
 * Atomic text writes with a last check before the rename: temp file in the same folder → write →
 * fsync → (check) → rename over the target → fsync the folder. A crash at any point leaves either
 * the old file or the new one, never a truncated mix. Written here rather than with
 * write-file-atomic because the store needs the hook between fsync and rename to refuse when
 * another program changed the file meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Runs after the temp file is durable and before the rename; throwing aborts the write (the temp file is removed). Default: none. */
  beforeRename?: () => Promise<void>;
}

const TEMP_PATTERN = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** Temp file name for `file`, carrying our pid so stale temps of dead processes can be told apart. */
function tempPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `text` to `file` atomically and durably (see the file comment). */
export async function writeTextAtomic(file: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathOf(file);
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.beforeRename) await options.beforeRename();
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(file));
}

/** fsyncs a folder so a rename in it survives power loss (not possible on Windows: ignored). */
async function syncDir(dir: string): Promise<void> {
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

/** True when a process with this id exists (ours included). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files of `file` left by processes that died mid-write. Returns how many. */
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
    const pid = Number(match[2]);
    if (processAlive(pid)) continue; // ours or another live writer's: in use
    await rm(path.join(path.dirname(file), name), { force: true });
    removed++;
  }
  return removed;
}
