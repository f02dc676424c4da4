/**
 * Download manager for tfjs layers models over HTTP(S): model.json then its shards into a cache folder,
 * with progress, resume (HTTP Range on `<file>.part`), idle timeouts, retries, sha256 pinned on the
 * first download and checked on every later download and reuse, and plain-words errors.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { writeFileAtomic } from '../../fs/atomic-write';
import { StudioError, quote } from '../../../../shared/errors';
import { throwIfCancelled } from '../../cancel';
import { expectedWeightBytes, readModelJson } from '../io/fs-handler';
import { networkError } from './network-error';

/** Progress of a model download. */
export interface DownloadProgress {
  phase: 'model.json' | 'weights' | 'verifying';
  /** 1-based index of the file being fetched, and the file count (1 until model.json is read). */
  file: number;
  files: number;
  bytes: number;
  /** 0 while unknown. */
  totalBytes: number;
}

export interface DownloadOptions {
  /** Cancels the download (a `.part` file is kept for resume). Default: none. */
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Abort a request when no byte arrives for this long. Default: 30000 ms. */
  idleTimeoutMs?: number;
  /** Attempts per file (each resumes where the last stopped). Default: 3. */
  attempts?: number;
  /** Where sha256 pins are kept (file URL → sha256). Default: `<dest>/../pins.json`. */
  pinsFile?: string;
}

/** What a finished download recorded (`download.json` in the model folder). */
export interface DownloadRecord {
  url: string;
  files: { name: string; bytes: number; sha256: string }[];
  completedAt: string;
}

export const RECORD_FILE = 'download.json';

/**
 * Downloads the tfjs layers model at `url` (a model.json) into `dest`, resuming partial files.
 * Returns at once when `dest` already holds a verified copy.
 * @throws StudioError NETWORK (offline, timeout, HTTP error, dropped connection after all attempts),
 *   NOT_FOUND (HTTP 404), BAD_INPUT (not a model, truncated or wrong-size weights, sha256 differs from the pin).
 */
export async function downloadModel(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadRecord> {
  const existing = await readRecord(dest);
  if (existing) {
    await verifyRecord(dest, existing);
    return existing;
  }
  await fs.mkdir(dest, { recursive: true });
  const pinsFile = options.pinsFile ?? path.join(path.dirname(dest), 'pins.json');
  const progress: DownloadProgress = { phase: 'model.json', file: 1, files: 1, bytes: 0, totalBytes: 0 };
  const report = () => options.onProgress?.({ ...progress });

  const jsonPath = path.join(dest, 'model.json');
  await fetchToFile(url, jsonPath, options, () => {});
  const json = await readModelJson(jsonPath).catch((error: unknown) => {
    void fs.rm(jsonPath, { force: true });
    if (error instanceof StudioError) {
      throw new StudioError('BAD_INPUT', `${quote(url)} is not a model: ${error.message}`, { url });
    }
    throw error;
  });
  const shards = json.weightsManifest.flatMap((g) => g.paths);
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  Object.assign(progress, { phase: 'weights', files: 1 + shards.length, totalBytes: expectedWeightBytes(specs) });
  report();

  for (const [i, shard] of shards.entries()) {
    if (shard.includes('..') || path.isAbsolute(shard)) {
      throw new StudioError('BAD_INPUT', `${quote(url)} names an unsafe weight path ${quote(shard)}.`);
    }
    progress.file = i + 2;
    const before = progress.bytes;
    const done = await fs.stat(path.join(dest, shard)).then(
      () => true,
      () => false,
    );
    if (!done)
      await fetchToFile(new URL(shard, url).href, path.join(dest, shard), options, (bytes) => {
        progress.bytes = before + bytes;
        report();
      });
    progress.bytes = before + (await fs.stat(path.join(dest, shard))).size;
  }
  progress.phase = 'verifying';
  report();
  if (progress.bytes !== progress.totalBytes) {
    await Promise.all(shards.map((shard) => fs.rm(path.join(dest, shard), { force: true })));
    throw new StudioError(
      'BAD_INPUT',
      `The weights downloaded from ${quote(url)} are ${progress.bytes} bytes but its model.json describes ${progress.totalBytes}: the files are truncated or not weights.`,
      { url, bytes: progress.bytes, expected: progress.totalBytes },
    );
  }
  const files: DownloadRecord['files'] = [];
  const pins = await readPins(pinsFile);
  for (const name of ['model.json', ...shards]) {
    const file = path.join(dest, name);
    const sha256 = await sha256File(file);
    const fileUrl = new URL(name, url).href;
    const pinned = pins[fileUrl];
    if (pinned && pinned !== sha256) {
      await fs.rm(file, { force: true });
      throw new StudioError(
        'BAD_INPUT',
        `${quote(fileUrl)} changed since it was first downloaded (sha256 ${sha256}, pinned ${pinned}); not using it.`,
        { url: fileUrl, sha256, pinned },
      );
    }
    pins[fileUrl] = sha256;
    files.push({ name, bytes: (await fs.stat(file)).size, sha256 });
  }
  await writeFileAtomic(pinsFile, JSON.stringify(pins, null, 2));
  const record: DownloadRecord = { url, files, completedAt: new Date().toISOString() };
  await writeFileAtomic(path.join(dest, RECORD_FILE), JSON.stringify(record, null, 2));
  return record;
}

/** The record of a finished download in `dest`, or undefined. */
export async function readRecord(dest: string): Promise<DownloadRecord | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dest, RECORD_FILE), 'utf8')) as DownloadRecord;
  } catch {
    return undefined;
  }
}

/**
 * Checks every file of a finished download against its recorded sha256.
 * @throws StudioError BAD_INPUT naming the changed or missing file.
 */
export async function verifyRecord(dest: string, record: DownloadRecord): Promise<void> {
  for (const file of record.files) {
    const full = path.join(dest, file.name);
    const sha256 = await sha256File(full).catch(() => 'missing');
    if (sha256 !== file.sha256) {
      throw new StudioError(
        'BAD_INPUT',
        `The cached file ${quote(full)} does not match its sha256 recorded at download (${sha256 === 'missing' ? 'file missing' : `got ${sha256}`}, expected ${file.sha256}); delete the folder ${quote(dest)} to download it again.`,
        { path: full, sha256, expected: file.sha256 },
      );
    }
  }
}

async function readPins(file: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** sha256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Fetches `url` into `file` through `file.part`, resuming and retrying; `onBytes` gets bytes on disk. */
async function fetchToFile(
  url: string,
  file: string,
  options: DownloadOptions,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const attempts = options.attempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal) throwIfCancelled(options.signal);
    try {
      await fetchOnce(url, `${file}.part`, options, onBytes);
      await fs.rename(`${file}.part`, file);
      return;
    } catch (error) {
      lastError = error;
      if (options.signal?.aborted) throw error;
      if (error instanceof StudioError && error.code !== 'NETWORK') throw error; // 404 etc.: retrying will not help
    }
  }
  throw lastError;
}

async function fetchOnce(
  url: string,
  part: string,
  options: DownloadOptions,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const start = await fs.stat(part).then(
    (s) => s.size,
    () => 0,
  );
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, idleMs);
  };
  const host = new URL(url).host;
  try {
    arm();
    let response: Response;
    try {
      response = await fetch(url, {
        signal: controller.signal,
        headers: start > 0 ? { Range: `bytes=${start}-` } : {},
      });
    } catch (error) {
      throw networkError(url, host, error, stalled, idleMs, options.signal);
    }
    if (response.status === 404) {
      throw new StudioError('NOT_FOUND', `The server has no file at ${quote(url)} (HTTP 404).`, { url, status: 404 });
    }
    if (response.status === 416) {
      await fs.rm(part, { force: true });
      throw new StudioError('NETWORK', `The server refused to resume ${quote(url)} (HTTP 416); starting again.`, {
        url,
      });
    }
    if (!response.ok || !response.body) {
      throw new StudioError(
        'NETWORK',
        `Downloading ${quote(url)} failed: HTTP ${response.status} ${response.statusText}.`,
        {
          url,
          status: response.status,
        },
      );
    }
    const resumed = response.status === 206 && start > 0;
    const length = Number(response.headers.get('content-length') ?? NaN);
    let written = resumed ? start : 0;
    onBytes(written);
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        arm();
        written += chunk.length;
        onBytes(written);
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream),
        counter,
        createWriteStream(part, { flags: resumed ? 'a' : 'w' }),
      );
    } catch (error) {
      throw networkError(url, host, error, stalled, idleMs, options.signal);
    }
    const expected = (resumed ? start : 0) + length;
    if (Number.isFinite(length) && written !== expected) {
      throw new StudioError(
        'NETWORK',
        `The download of ${quote(url)} was cut off at ${written} of ${expected} bytes.`,
        { url },
      );
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
