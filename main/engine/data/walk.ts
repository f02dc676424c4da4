import { opendir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { throwIfCancelled } from '../cancel';
import { PROJECT_FILE } from '../../../shared/contract/project';

/** Names never treated as data: hidden files, macOS/Windows junk. */
const JUNK_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', '__macosx', '$recycle.bin', 'ehthumbs.db']);

/** True for hidden files and OS junk (.DS_Store, Thumbs.db, __MACOSX, AppleDouble `._x` files). */
export function isJunkName(name: string): boolean {
  return name.startsWith('.') || JUNK_NAMES.has(name.toLowerCase());
}

/** A regular file found by {@link walkFiles}. */
export interface WalkedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Something that could not be read while walking: a folder, a dangling link, a FIFO… */
export interface WalkIssue {
  path: string;
  reason: 'unreadable' | 'loop' | 'not-a-file' | 'bad-name';
  message: string;
}

export interface WalkOptions {
  /** Checked between directory entries. Default: never aborts. */
  signal?: AbortSignal;
  /** Told of every unreadable entry; the walk carries on. Default: ignore. */
  onIssue?: (issue: WalkIssue) => void;
}

/**
 * Streams every regular file under `root` (depth first, names sorted so runs are repeatable).
 * Follows symbolic links but never enters a directory twice (by device + inode), so link loops
 * end; skips hidden files and OS junk; reports folders that cannot be opened, dangling links and
 * special files (FIFOs, sockets, devices — reading a FIFO would block forever) as issues. Skips
 * Transfer Studio project folders (holding project.json) below the root: a project kept beside the images.
 * Holds one directory listing per level in memory, never the whole tree.
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  const signal = options.signal ?? new AbortController().signal;
  const report = options.onIssue ?? (() => undefined);
  const visited = new Set<string>();
  const rootDir = root;

  async function* visit(dir: string, dirStat: Stats): AsyncGenerator<WalkedFile> {
    const id = `${dirStat.dev}:${dirStat.ino}`;
    if (visited.has(id)) {
      report({
        path: dir,
        reason: 'loop',
        message: `Skipped ${JSON.stringify(dir)}: it links back to a folder already scanned (a symbolic-link loop).`,
      });
      return;
    }
    visited.add(id);
    let names: string[];
    try {
      names = [];
      // Names as bytes: a name that is not valid UTF-8 would otherwise turn into another name that does not exist.
      const handle = await opendir(dir, { encoding: 'buffer' as BufferEncoding });
      for await (const entry of handle) {
        const raw = entry.name as unknown as Buffer;
        const name = raw.toString('utf8');
        if (isJunkName(name)) continue;
        if (!Buffer.from(name, 'utf8').equals(raw)) {
          const shown = path.join(dir, escapedName(raw));
          report({
            path: shown,
            reason: 'bad-name',
            message: `Skipped "${shown}": its name is not valid UTF-8 text (the odd bytes are shown as \\xNN), so it cannot be used; rename it.`,
          });
          continue;
        }
        names.push(name);
      }
    } catch (error) {
      report({
        path: dir,
        reason: 'unreadable',
        message: `Could not read the folder ${JSON.stringify(dir)}: ${errorText(error)}.`,
      });
      return;
    }
    // A Transfer Studio project (its project.json, cache and runs) inside an image folder is not images.
    if (dir !== rootDir && names.includes(PROJECT_FILE)) return;
    names.sort();
    for (const name of names) {
      throwIfCancelled(signal, 'The scan');
      const full = path.join(dir, name);
      let info: Stats;
      try {
        info = await stat(full); // follows links
      } catch (error) {
        report({
          path: full,
          reason: 'unreadable',
          message: `Could not read ${JSON.stringify(full)}: ${errorText(error)}.`,
        });
        continue;
      }
      if (info.isDirectory()) yield* visit(full, info);
      else if (info.isFile()) yield { path: full, size: info.size, mtimeMs: info.mtimeMs };
      else
        report({
          path: full,
          reason: 'not-a-file',
          message: `Skipped ${JSON.stringify(full)}: it is not a regular file (a pipe, socket or device).`,
        });
    }
  }

  let rootStat: Stats;
  try {
    rootStat = await stat(root);
  } catch (error) {
    report({
      path: root,
      reason: 'unreadable',
      message: `Could not read the folder ${JSON.stringify(root)}: ${errorText(error)}.`,
    });
    return;
  }
  if (!rootStat.isDirectory()) {
    report({ path: root, reason: 'unreadable', message: `${JSON.stringify(root)} is not a folder.` });
    return;
  }
  yield* visit(root, rootStat);
}

/** A file name's bytes as text: valid UTF-8 as is, every other byte as \xNN. */
export function escapedName(raw: Buffer): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const byte = raw[i]!;
    const length = byte < 0x80 ? 1 : byte >> 5 === 0b110 ? 2 : byte >> 4 === 0b1110 ? 3 : byte >> 3 === 0b11110 ? 4 : 0;
    const chunk = length > 0 ? raw.subarray(i, i + length) : undefined;
    const text = chunk?.length === length ? chunk.toString('utf8') : undefined;
    if (text !== undefined && !text.includes('\uFFFD') && Buffer.from(text, 'utf8').equals(chunk!)) {
      out += text;
      i += length;
    } else {
      out += `\\x${byte.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** Plain words for a filesystem error. */
export function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist (or is a link to nothing)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'it is not a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
