import { readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from '../app-paths';
import { writeFileAtomic } from '../fs/atomic-write';
import { derivedKey } from './hash';
import type { RgbImage, ResolvedPreprocessOptions } from './preprocess';

/** What the cache holds, one folder each. */
export const CACHE_KINDS = ['thumbnails', 'pixels', 'scans'] as const;
export type CacheKindName = (typeof CACHE_KINDS)[number];

export interface CacheInfo {
  root: string;
  bytes: number;
  files: number;
  byKind: Record<string, { bytes: number; files: number }>;
}

/**
 * Derived data on disk, keyed by content hash + the parameters that made it, so it is reused
 * across runs and projects and a parameter change simply misses (old entries stay until cleared).
 * Layout: `<root>/<kind>/<first 2 key chars>/<key>.<ext>`. Writes are atomic (temp + rename).
 */
export class CacheStore {
  readonly root: string;

  /** @param root the project's cache folder. Default: `cacheDir()` of app-paths (`$TRANSFER_STUDIO_CACHE` or the OS cache folder). */
  constructor(root?: string) {
    this.root = path.resolve(root ?? cacheDir());
  }

  /** Path of a cache entry. */
  entryPath(kind: CacheKindName, key: string, ext: string): string {
    return path.join(this.root, kind, key.slice(0, 2), `${key}.${ext}`);
  }

  /** Thumbnail file of an image (JPEG) for given parameters. */
  thumbnailPath(contentHash: string, params: { size: number }): string {
    return this.entryPath('thumbnails', derivedKey(contentHash, { thumb: 1, ...params }), 'jpg');
  }

  /** Preprocessed pixels (raw RGB, size×size×3 bytes), or undefined on a miss. */
  async readPixels(contentHash: string, options: ResolvedPreprocessOptions): Promise<RgbImage | undefined> {
    const file = this.entryPath('pixels', derivedKey(contentHash, { pixels: 1, ...options }), 'rgb');
    try {
      const data = await readFile(file);
      if (data.length !== options.size * options.size * 3) return undefined;
      return {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: options.size,
        height: options.size,
      };
    } catch {
      return undefined;
    }
  }

  /** Stores preprocessed pixels. */
  async writePixels(contentHash: string, options: ResolvedPreprocessOptions, image: RgbImage): Promise<void> {
    await this.writeAtomic(
      this.entryPath('pixels', derivedKey(contentHash, { pixels: 1, ...options }), 'rgb'),
      image.data,
    );
  }

  /**
   * Writes a cache file atomically, creating folders. Not fsynced: a cache entry is cheap to rebuild,
   * and readers treat a missing or short entry as a miss.
   */
  async writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
    await writeFileAtomic(file, data, { createFolder: true, durable: false });
  }

  /** Bytes and files per kind. */
  async info(): Promise<CacheInfo> {
    const byKind: CacheInfo['byKind'] = {};
    let bytes = 0;
    let files = 0;
    for (const kind of CACHE_KINDS) {
      const usage = await folderUsage(path.join(this.root, kind));
      byKind[kind] = usage;
      bytes += usage.bytes;
      files += usage.files;
    }
    return { root: this.root, bytes, files, byKind };
  }

  /** Deletes the given kinds (all by default); returns what was freed. Never touches other folders. */
  async clear(kinds: readonly CacheKindName[] = CACHE_KINDS): Promise<{ freedBytes: number; files: number }> {
    let freedBytes = 0;
    let files = 0;
    for (const kind of kinds) {
      const folder = path.join(this.root, kind);
      const usage = await folderUsage(folder);
      await rm(folder, { recursive: true, force: true });
      freedBytes += usage.bytes;
      files += usage.files;
    }
    return { freedBytes, files };
  }
}

async function folderUsage(folder: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return { bytes, files };
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      const inner = await folderUsage(full);
      bytes += inner.bytes;
      files += inner.files;
    } else if (entry.isFile()) {
      bytes += (await stat(full)).size;
      files++;
    }
  }
  return { bytes, files };
}
