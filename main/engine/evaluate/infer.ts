/**
 * Batched inference over image files: decoded and preprocessed with bounded concurrency (the data pipeline),
 * `batchSize` images a forward pass, probabilities streamed back in input order. A file that cannot be decoded
 * yields its error instead (the run carries on). Every tensor is disposed before the next batch.
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
  const pixels = new Uint8Array(Math.max(1, Math.min(batchSize, paths.length)) * bytes);
  let waiting: number[] = [];
  let pending: Inferred[] = [];
  let done = 0;
  const flush = async (): Promise<Inferred[]> => {
    const rows = waiting.length > 0 ? await predictPixels(loaded, pixels, waiting.length) : [];
    const results: Inferred[] = [...pending, ...waiting.map((index, i) => ({ index, probabilities: rows[i]! }))];
    results.sort((a, b) => a.index - b.index);
    done += results.length;
    waiting = [];
    pending = [];
    options.onProgress?.(done);
    return results;
  };
  const stream = preprocessStream(paths, loaded.preprocess, options.signal ? { signal: options.signal } : {});
  for await (const item of stream) {
    if (item.ok) {
      pixels.set(item.data, waiting.length * bytes);
      waiting.push(item.index);
    } else {
      pending.push({ index: item.index, error: item.error.message });
    }
    if (waiting.length === batchSize) {
      if (options.signal) throwIfCancelled(options.signal);
      yield* await flush();
    }
  }
  if (waiting.length > 0 || pending.length > 0) yield* await flush();
}
