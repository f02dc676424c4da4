import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CacheStore } from './cache';
import type { FileFacts } from './inspect';

/** Version of the checks and their words (inspect.ts): bump it when they change, so older findings are redone. */
export const CHECKS_VERSION = 2;

/**
 * Remembers what earlier scans learned about each file, keyed by path + size + mtime + the
 * options that shaped the check, so rescanning after "add more images" only reads new files.
 * Stored as JSON lines in `<cache>/scans/file-index.jsonl` (metadata only, ~200 bytes a file).
 */
export class FileIndex {
  private readonly entries = new Map<string, FileFacts>();
  private changed = false;

  private constructor(private readonly file: string | undefined) {}

  /** Loads the index of a cache (an empty, unsaved index without one). */
  static async load(cache: CacheStore | undefined): Promise<FileIndex> {
    const index = new FileIndex(cache ? path.join(cache.root, 'scans', 'file-index.jsonl') : undefined);
    if (!index.file) return index;
    try {
      const lines = createInterface({ input: createReadStream(index.file), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        try {
          const { key, facts } = JSON.parse(line) as { key: string; facts: FileFacts };
          index.entries.set(key, facts);
        } catch {
          // A damaged line (e.g. from a crash) is just a miss.
        }
      }
    } catch {
      // No index yet.
    }
    return index;
  }

  static key(filePath: string, size: number, mtimeMs: number, options: unknown): string {
    return `${CHECKS_VERSION}\u0000${filePath}\u0000${size}\u0000${mtimeMs}\u0000${JSON.stringify(options)}`;
  }

  get(key: string): FileFacts | undefined {
    return this.entries.get(key);
  }

  set(key: string, facts: FileFacts): void {
    if (facts.error?.kind === 'unreadable') return;
    this.entries.set(key, facts);
    this.changed = true;
  }

  /** Writes the index atomically when something changed. */
  async save(cache: CacheStore | undefined): Promise<void> {
    if (!this.file || !cache || !this.changed) return;
    const lines: string[] = [];
    for (const [key, facts] of this.entries) lines.push(JSON.stringify({ key, facts }));
    await cache.writeAtomic(this.file, lines.length ? `${lines.join('\n')}\n` : '');
    this.changed = false;
  }
}
