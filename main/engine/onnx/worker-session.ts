/**
 * An ONNX Runtime session in a worker thread. onnxruntime-node's `run` blocks the thread that calls it,
 * so in the engine's main thread image decoding (sharp callbacks, file reads) would stop while a batch
 * runs; in a worker, batch k+1 is decoded while ORT runs batch k. The worker tries the preferred
 * execution providers in order and falls back to CPU, reporting why.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** The worker, as plain CommonJS (eval'd), so it runs the same from tsx, tests and the bundled engine. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
(async () => {
  const supported = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const common = {
    intraOpNumThreads: workerData.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: workerData.spinning ? '1' : '0' } } },
  };
  const skipped = [];
  let session, provider;
  for (const p of workerData.providers) {
    if (!supported.has(p)) { skipped.push({ provider: p, reason: 'this onnxruntime-node build has no ' + p + ' provider' }); continue; }
    if (supported.get(p) === false && p === 'cuda') {
      skipped.push({ provider: p, reason: 'the CUDA provider is not installed (onnxruntime-node downloads it only when installed with CUDA support)' });
      continue;
    }
    try { session = await ort.InferenceSession.create(workerData.bytes, { ...common, executionProviders: [p] }); provider = p; break; }
    catch (e) { skipped.push({ provider: p, reason: p + ' failed to start: ' + String(e && e.message || e).split('\\n')[0] }); }
  }
  try {
    if (!session) { session = await ort.InferenceSession.create(workerData.bytes, { ...common, executionProviders: ['cpu'] }); provider = 'cpu'; }
  } catch (e) { parentPort.postMessage({ ready: false, error: String(e && e.message || e) }); return; }
  parentPort.postMessage({ ready: true, provider, skipped, version: ort.env.versions.node || ort.env.versions.common });
  // One run at a time, in arrival order: the float input buffer is reused from batch to batch.
  let float = new Float32Array(0);
  const toFloat = (pixels, table) => {
    if (float.length !== pixels.length) float = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) float[i] = table[pixels[i]];
    return float;
  };
  const run = async (m) => {
    try {
      const data = m.pixels ? toFloat(m.pixels, m.table) : m.data;
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, m.dims) });
      const y = out[session.outputNames[0]];
      // Moved, not copied, when the output owns its whole buffer.
      const whole = y.data.byteOffset === 0 && y.data.byteLength === y.data.buffer.byteLength;
      const result = whole ? y.data : new Float32Array(y.data);
      parentPort.postMessage({ id: m.id, data: result, dims: y.dims }, [result.buffer]);
    } catch (e) { parentPort.postMessage({ id: m.id, error: String(e && e.message || e) }); }
  };
  let chain = Promise.resolve();
  parentPort.on('message', (m) => {
    if (m.close) { chain = chain.then(async () => { await session.release(); parentPort.close(); }); return; }
    chain = chain.then(() => run(m));
  });
})();
`;

/** Providers worth trying before the CPU one, by platform. */
export const PREFERRED_PROVIDERS: Record<string, string[]> = {
  linux: ['cuda'],
  win32: ['dml', 'cuda'],
  darwin: ['coreml'],
};

export interface WorkerSessionOptions {
  /** Intra-op threads of each worker's session. Default: `os.availableParallelism()`. */
  threads?: number;
  /**
   * Workers, each with its own session of `threads` threads; runs go to the least busy one, so with one thread each
   * they run side by side without ORT's intra-op synchronisation (answers may then come back out of order). Default: 1.
   */
  workers?: number;
  /** Providers to try before "cpu", best first. Default: {@link PREFERRED_PROVIDERS} of this platform. */
  providers?: string[];
  /**
   * Let the intra-op threads spin-wait between parallel sections (ORT's own default): fastest when the session has
   * the cores to itself, wasteful when image decoding shares them (a spinning thread holds a core the decoder needs).
   * Default: true.
   */
  spinning?: boolean;
}

type Call = { resolve: (v: Float32Array) => void; reject: (e: Error) => void };

/** A session (or several alike) running in worker threads. */
export class WorkerSession {
  private next = 0;
  private readonly pending: Map<number, Call>[];

  private constructor(
    private readonly workers: Worker[],
    readonly provider: string,
    readonly threads: number,
    readonly skipped: { provider: string; reason: string }[],
    readonly version: string,
  ) {
    this.pending = workers.map(() => new Map());
    workers.forEach((worker, w) => {
      const pending = this.pending[w]!;
      worker.on('message', (m: { id: number; data?: Float32Array; error?: string }) => {
        const call = pending.get(m.id);
        if (!call) return;
        pending.delete(m.id);
        if (pending.size === 0) worker.unref();
        if (m.error !== undefined) call.reject(new Error(`ONNX Runtime failed: ${m.error}`));
        else call.resolve(m.data!);
      });
      worker.on('error', (error) => this.failAll(pending, error));
      worker.on('exit', (code) => this.failAll(pending, new Error(`The ONNX Runtime worker exited (code ${code}).`)));
      worker.unref();
    });
  }

  /** Workers (sessions) running batches side by side. */
  get parallel(): number {
    return this.workers.length;
  }

  /**
   * Starts the worker(s) with a session on `bytes` (the serialised model).
   * @throws Error with ONNX Runtime's message when even the CPU provider cannot load the model.
   */
  static async create(bytes: Uint8Array, options: WorkerSessionOptions = {}): Promise<WorkerSession> {
    const threads = options.threads ?? os.availableParallelism();
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    const providers = options.providers ?? PREFERRED_PROVIDERS[process.platform] ?? [];
    const spinning = options.spinning ?? true;
    type Ready = {
      ready: boolean;
      error?: string;
      provider: string;
      skipped: { provider: string; reason: string }[];
      version: string;
    };
    const workers = Array.from(
      { length: Math.max(1, options.workers ?? 1) },
      () => new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, bytes, threads, providers, spinning } }),
    );
    const started = await Promise.allSettled(
      workers.map(
        (worker) =>
          new Promise<Ready>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    const failed = started.find((r) => r.status === 'rejected' || !r.value.ready);
    if (failed) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      const why = failed.status === 'rejected' ? String(failed.reason) : failed.value.error;
      throw new Error(`ONNX Runtime could not load the model: ${why}`);
    }
    const ready = (started[0] as PromiseFulfilledResult<Ready>).value;
    return new WorkerSession(workers, ready.provider, threads, ready.skipped, ready.version);
  }

  /** Runs the model on one float32 input; resolves with the (first) output's data. */
  run(data: Float32Array, dims: number[]): Promise<Float32Array> {
    return this.post({ data, dims }, [data.buffer as ArrayBuffer]);
  }

  /**
   * Runs the model on RGB bytes, turned into float32 in the worker through `table` (the float of each byte value,
   * see `scaleTable` in extractor.ts), so the caller's thread neither scales nor sends 4 bytes per channel.
   * @param transfer move `pixels`' buffer to the worker instead of copying it (it is then detached here; only for a
   *   buffer the caller owns whole). Default: false.
   */
  runPixels(pixels: Uint8Array, dims: number[], table: Float32Array, transfer = false): Promise<Float32Array> {
    return this.post({ pixels, table, dims }, transfer ? [pixels.buffer as ArrayBuffer] : []);
  }

  /** Releases the session(s) and ends the worker(s). */
  async release(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        worker.ref(); // keep the process alive until the worker has gone
        worker.postMessage({ close: true });
        await new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          setTimeout(() => void worker.terminate().then(() => resolve()), 2000).unref();
        });
      }),
    );
  }

  /** Sends one run to the least busy worker (the first on a tie). */
  private post(message: object, transfer: ArrayBuffer[]): Promise<Float32Array> {
    const id = this.next++;
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.pending[i]!.size < this.pending[w]!.size) w = i;
    const worker = this.workers[w]!;
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending[w]!.set(id, { resolve, reject });
      worker.postMessage({ id, ...message }, transfer);
    });
  }

  private failAll(pending: Map<number, Call>, error: Error): void {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  }
}
