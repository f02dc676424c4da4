/**
 * Batched inference over image files: decoded and preprocessed with bounded concurrency (the data pipeline),
 * `batchSize` images a forward pass, probabilities streamed back in input order. A file that cannot be decoded
 * yields its error instead (the run carries on). Every tensor is disposed before the next batch. On ONNX Runtime
 * (a worker thread) the next batch is decoded while the current one runs.
 */
import { throwIfCancelled } from '../cancel';
import { preprocessStream } from '../data/pipeline';
import type { InferenceModel } from './model-source';

/** One file's result: its probabilities (in the order of the model's classes) or why it has none. */
export type Inferred = { index: number; probabilities: number[] } | { index: number; error: string };

export interface InferOptions {
  /** Images per forward pass. Default: 32. */
  batchSize?: number;
  /** Checked between batches. Default: never aborts. */
  signal?: AbortSignal;
  /** Called after each batch with the files done so far. Default: none. */
  onProgress?: (done: number) => void;
}

/** Probabilities of a batch of raw RGB images (`n` images of size² × 3 bytes), on the model's engine. */
export function predictPixels(loaded: InferenceModel, pixels: Uint8Array, n: number): Promise<number[][]> {
  return loaded.predict(pixels, n);
}

/**
 * Predicts every file of `paths` (in order): yields one {@link Inferred} per file, a batch at a time.
 * Items may carry the file's content hash (no effect on results).
 */
export async function* inferFiles(
  loaded: InferenceModel,
  paths: readonly string[],
  options: InferOptions = {},
): AsyncGenerator<Inferred> {
  const batchSize = options.batchSize ?? 32;
  const side = loaded.preprocess.size;
  const bytes = side * side * 3;
  // Two buffers: the next batch is decoded into one while the model (ORT, in its worker) runs on the other.
  const capacity = Math.max(1, Math.min(batchSize, paths.length)) * bytes;
  const buffers = [new Uint8Array(capacity), new Uint8Array(capacity)];
  let filling = 0;
  let waiting: number[] = [];
  let pending: Inferred[] = [];
  let done = 0;
  let inFlight: Promise<Inferred[]> | undefined;
  /** Starts the batch in the filling buffer; the other buffer becomes the filling one. */
  const launch = (): Promise<Inferred[]> => {
    const indices = waiting;
    const failed = pending;
    const buffer = buffers[filling]!;
    filling = 1 - filling;
    waiting = [];
    pending = [];
    const rows = indices.length > 0 ? predictPixels(loaded, buffer, indices.length) : Promise.resolve([]);
    const results = rows.then((values) => {
      const out: Inferred[] = [...failed, ...indices.map((index, i) => ({ index, probabilities: values[i]! }))];
      return out.sort((a, b) => a.index - b.index);
    });
    results.catch(() => undefined); // awaited below; not an unhandled rejection while the next batch decodes
    return results;
  };
  const finished = (results: Inferred[]): Inferred[] => {
    done += results.length;
    options.onProgress?.(done);
    return results;
  };
  const stream = preprocessStream(paths, loaded.preprocess, options.signal ? { signal: options.signal } : {});
  for await (const item of stream) {
    if (item.ok) {
      buffers[filling]!.set(item.data, waiting.length * bytes);
      waiting.push(item.index);
    } else {
      pending.push({ index: item.index, error: item.error.message });
    }
    if (waiting.length === batchSize) {
      if (options.signal) throwIfCancelled(options.signal);
      const previous = inFlight ? await inFlight : [];
      inFlight = launch();
      yield* finished(previous);
    }
  }
  if (inFlight) yield* finished(await inFlight);
  if (waiting.length > 0 || pending.length > 0) yield* finished(await launch());
}
