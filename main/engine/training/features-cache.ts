/**
 * Base features on disk, one small file per (base, image content hash, preprocessing,
 * augmentation variant), so a re-run with the same data and base — or a new run that shares
 * most images — skips the slow forward pass. Layout: `<root>/<key[0:2]>/<key>.f32` (raw
 * little-endian float32). Writes are atomic; a damaged or wrong-sized file is a miss. They are not fsynced, like the
 * pixel cache's: a row lost to a power cut is a miss and is computed again, while an fsync per row costs about
 * 0.8 core-ms — a tenth of extracting the row (bench/extract.bench.ts, cacheWriteCoreMs).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import { derivedKey } from '../data/hash';

/** What makes a feature row: everything that changes the pixels the base sees, and the base. */
export interface FeatureKeyParts {
  /** Base id, e.g. "nsfwjs-mobilenet-v2". */
  base: string;
  /** Resolved preprocessing (size, resize mode, background). */
  preprocess: unknown;
  /** 0 = the image as preprocessed; k ≥ 1 = k-th augmented variant. */
  variant: number;
  /** Augmentation options and seed (ignored for variant 0). */
  augment?: unknown;
}

export class FeatureCache {
  hits = 0;
  misses = 0;

  /**
   * @param root folder of the feature cache (e.g. `<project cache>/features`).
   * @param dim floats per row (the base's feature size).
   */
  constructor(
    readonly root: string,
    readonly dim: number,
  ) {}

  /** The cache key of one row. */
  key(contentHash: string, parts: FeatureKeyParts): string {
    const { base, preprocess, variant } = parts;
    return derivedKey(contentHash, {
      features: 1,
      base,
      preprocess,
      variant,
      augment: variant > 0 ? (parts.augment ?? null) : null,
    });
  }

  /** File of a key. */
  file(key: string): string {
    return path.join(this.root, key.slice(0, 2), `${key}.f32`);
  }

  /** Reads a row into `out` at `offset`; false on a miss. */
  async read(key: string, out: Float32Array, offset: number): Promise<boolean> {
    try {
      const bytes = await readFile(this.file(key));
      if (bytes.byteLength !== this.dim * 4) {
        this.misses++;
        return false;
      }
      out.set(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), offset);
      this.hits++;
      return true;
    } catch {
      this.misses++;
      return false;
    }
  }

  /** Stores one row (atomically, not durably: see the file comment). */
  async write(key: string, row: Float32Array): Promise<void> {
    await writeFileAtomic(this.file(key), Buffer.from(row.buffer, row.byteOffset, row.byteLength), {
      createFolder: true,
      durable: false,
    });
  }
}
