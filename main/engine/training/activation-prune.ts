/**
 * How old activation files leave the cache (they are big: 31–75 KB per image and variant). After a new file is
 * written, the folder `<cache>/activations` is trimmed: files unused (mtime, refreshed on every open) for
 * {@link MAX_AGE_DAYS} days go, then the least recently used until the folder holds at most
 * {@link MAX_CACHE_BYTES}; files the running phase uses are never removed. Temp files of writers that died are
 * removed too. A file removed too early only costs its recomputation.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps } from '../fs/atomic-write';

/** Bytes the activation cache may hold after a trim. Default for {@link pruneActivations}: 4 GiB. */
export const MAX_CACHE_BYTES = 4 * 1024 ** 3;
/** Days an unused activation file is kept. Default for {@link pruneActivations}: 7. */
export const MAX_AGE_DAYS = 7;

/** Options of {@link pruneActivations}. */
export interface PruneOptions {
  /** Files never removed (in use). Default: none. */
  keep?: readonly string[];
  /** Default: {@link MAX_CACHE_BYTES}. */
  maxBytes?: number;
  /** Default: {@link MAX_AGE_DAYS}. */
  maxAgeDays?: number;
  /** Default: Date.now(). */
  now?: number;
}

/** Trims the activation folder `dir` (see the file comment); returns the files removed. */
export async function pruneActivations(dir: string, options: PruneOptions = {}): Promise<string[]> {
  const keep = new Set((options.keep ?? []).map((f) => path.resolve(f)));
  const maxBytes = options.maxBytes ?? MAX_CACHE_BYTES;
  const oldest = (options.now ?? Date.now()) - (options.maxAgeDays ?? MAX_AGE_DAYS) * 86_400_000;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files: { file: string; size: number; used: number }[] = [];
  // Temp files (".<name>.act.<pid>.<hex>.tmp") of writers that died, whether or not their target exists.
  const targets = new Set(names.map((n) => /^\.(.+\.act)\.\d+\.[0-9a-f]{8}\.tmp$/.exec(n)?.[1]).filter(Boolean));
  for (const target of targets) await removeStaleTemps(path.join(dir, target!));
  for (const name of names) {
    if (!name.endsWith('.act')) continue;
    const file = path.resolve(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info) files.push({ file, size: info.size, used: info.mtimeMs });
  }
  files.sort((a, b) => a.used - b.used);
  let total = files.reduce((sum, f) => sum + f.size, 0);
  const removed: string[] = [];
  for (const f of files) {
    if (keep.has(f.file)) continue;
    if (f.used >= oldest && total <= maxBytes) continue;
    await rm(f.file, { force: true });
    total -= f.size;
    removed.push(f.file);
  }
  return removed;
}
