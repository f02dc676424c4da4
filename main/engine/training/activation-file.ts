/**
 * One file of stored frozen-prefix activations (prefix-activations.ts): float32 rows, one per image, in the order
 * of the image list, read back a batch at a time by row index (fs reads at offsets: a 50,000-image set of 7×7×160
 * rows is 1.5 GB and is never held in memory).
 *
 * Layout: a 64-byte header — magic "TSACT001", rows (u32 LE), floats per row (u32 LE), 16 bytes reserved, the
 * sha256 of the body — then rows × dim little-endian float32. Written to a temp file beside the target, row after
 * row, and renamed over it once complete (atomic; not fsynced: derived data, rebuilt when lost). Opening checks the
 * size and the body's sha256, so a truncated or damaged file is refused (and recomputed by the caller), never
 * trusted.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { quote } from '../../../shared/errors';
import { tempPathOf } from '../fs/atomic-write';

/** Bytes before the first row. */
export const HEADER_BYTES = 64;
const MAGIC = Buffer.from('TSACT001', 'latin1');
/** Bytes hashed per read while verifying. */
const VERIFY_CHUNK = 4 << 20;

/** A complete, verified activation file open for reading. */
export class ActivationFile {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    /** Rows (images) in the file. */
    readonly rows: number,
    /** Floats per row. */
    readonly dim: number,
  ) {}

  /**
   * Opens `file` when it is complete and intact: `rows` rows of `dim` floats whose sha256 matches the header.
   * Returns undefined (and removes the file) when it is missing, truncated, of another shape or damaged. Marks it
   * used (mtime) for the clean-up of old files.
   */
  static async open(file: string, rows: number, dim: number): Promise<ActivationFile | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch {
      return undefined;
    }
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      await handle.read(header, 0, HEADER_BYTES, 0);
      const size = (await handle.stat()).size;
      const intact =
        header.subarray(0, 8).equals(MAGIC) &&
        header.readUInt32LE(8) === rows &&
        header.readUInt32LE(12) === dim &&
        size === HEADER_BYTES + rows * dim * 4 &&
        (await bodyHash(handle, size)).equals(header.subarray(32, 64));
      if (!intact) {
        await handle.close();
        await rm(file, { force: true });
        return undefined;
      }
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return new ActivationFile(file, handle, rows, dim);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Reads rows `indices` (in that order) into `out` (indices.length × dim floats). */
  async read(indices: ArrayLike<number>, out: Float32Array): Promise<void> {
    const rowBytes = this.dim * 4;
    const bytes = new Uint8Array(out.buffer, out.byteOffset, indices.length * rowBytes);
    const reads: Promise<unknown>[] = [];
    for (let j = 0; j < indices.length; j++) {
      const row = indices[j]!;
      if (!(row >= 0 && row < this.rows)) {
        throw new RangeError(`Row ${row} is outside ${quote(this.file)} (${this.rows} rows).`);
      }
      reads.push(this.readFully(bytes.subarray(j * rowBytes, (j + 1) * rowBytes), HEADER_BYTES + row * rowBytes));
    }
    await Promise.all(reads);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async readFully(into: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < into.length) {
      const { bytesRead } = await this.handle.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) throw new Error(`${quote(this.file)} ended early at byte ${position + done}.`);
      done += bytesRead;
    }
  }
}

async function bodyHash(handle: FileHandle, size: number): Promise<Buffer> {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(Math.min(VERIFY_CHUNK, Math.max(1, size - HEADER_BYTES)));
  for (let at = HEADER_BYTES; at < size;) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - at), at);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
    at += bytesRead;
  }
  return hash.digest();
}

/** Writes an activation file row by row into a temp file; {@link commit} renames it into place. */
export class ActivationWriter {
  private written = 0;
  private readonly hash: Hash = createHash('sha256');

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
    readonly rows: number,
    readonly dim: number,
  ) {}

  /** Starts writing `file` (its folder is created). */
  static async create(file: string, rows: number, dim: number): Promise<ActivationWriter> {
    await mkdir(path.dirname(file), { recursive: true });
    const temp = tempPathOf(file);
    const handle = await open(temp, 'wx');
    return new ActivationWriter(file, temp, handle, rows, dim);
  }

  /** Appends rows (a multiple of dim floats), in row order. */
  async append(values: Float32Array): Promise<void> {
    if (values.length % this.dim !== 0 || this.written + values.length / this.dim > this.rows) {
      throw new RangeError(`${values.length} floats do not fit ${quote(this.file)} (rows of ${this.dim}).`);
    }
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.hash.update(bytes);
    let done = 0;
    const position = HEADER_BYTES + this.written * this.dim * 4;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, position + done);
      done += bytesWritten;
    }
    this.written += values.length / this.dim;
  }

  /** Writes the header and renames the complete file into place. */
  async commit(): Promise<void> {
    if (this.written !== this.rows) {
      throw new Error(`${quote(this.file)} got ${this.written} of ${this.rows} rows; not committed.`);
    }
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(this.rows, 8);
    header.writeUInt32LE(this.dim, 12);
    this.hash.digest().copy(header, 32);
    await this.handle.write(header, 0, HEADER_BYTES, 0);
    await this.handle.close();
    await rename(this.temp, this.file);
  }

  /** Drops the temp file (on cancel or error). */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}
