/**
 * Worker sessions shared by every run of the engine process that uses the same converted base (keyed by
 * its file, whose name is the weights hash), each ended after a while without runs so an idle engine
 * holds no ORT memory. A run that comes later starts the worker again from the cached file.
 */
import { readFile } from 'node:fs/promises';
import { WorkerSession, type WorkerSessionOptions } from './worker-session';

/** Milliseconds a shared session stays up with no run. Default for {@link sharedSession}. */
export const IDLE_MS = 60_000;

/** One converted base's worker, started on demand and ended when idle. */
export class PooledSession {
  private session: Promise<WorkerSession> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = 0;

  constructor(
    readonly file: string,
    private readonly options: WorkerSessionOptions = {},
    private readonly idleMs = IDLE_MS,
  ) {}

  /** The running worker session (started if needed). */
  start(): Promise<WorkerSession> {
    if (!this.session) {
      const started = readFile(this.file).then((bytes) => WorkerSession.create(new Uint8Array(bytes), this.options));
      started.catch(() => (this.session = undefined));
      this.session = started;
      this.armIdle();
    }
    return this.session;
  }

  /** Runs one batch on the worker. */
  async run(data: Float32Array, dims: number[]): Promise<Float32Array> {
    clearTimeout(this.timer);
    this.busy++;
    try {
      return await (await this.start()).run(data, dims);
    } finally {
      this.busy--;
      this.armIdle();
    }
  }

  /** Runs one batch of RGB bytes on the worker, scaled there through `table` (see `WorkerSession.runPixels`). */
  async runPixels(pixels: Uint8Array, dims: number[], table: Float32Array, transfer = false): Promise<Float32Array> {
    clearTimeout(this.timer);
    this.busy++;
    try {
      return await (await this.start()).runPixels(pixels, dims, table, transfer);
    } finally {
      this.busy--;
      this.armIdle();
    }
  }

  /** Ends the worker now (a later run starts it again). */
  async release(): Promise<void> {
    clearTimeout(this.timer);
    const session = this.session;
    this.session = undefined;
    if (session) await (await session).release();
  }

  private armIdle(): void {
    clearTimeout(this.timer);
    if (this.busy > 0) return;
    this.timer = setTimeout(() => void this.release().catch(() => undefined), this.idleMs);
    this.timer.unref();
  }
}

const pool = new Map<string, PooledSession>();

/**
 * The shared session of a converted-model file.
 * @param options used when the worker is first started. Default: threads = cores, preferred providers.
 */
export function sharedSession(file: string, options: WorkerSessionOptions = {}): PooledSession {
  let found = pool.get(file);
  if (!found) {
    found = new PooledSession(file, options);
    pool.set(file, found);
  }
  return found;
}
