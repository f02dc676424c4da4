import os from 'node:os';
import { throwIfCancelled } from '../cancel';
import type { CacheStore } from './cache';
import { preprocessResolved, resolvePreprocessOptions, type DecodeLimits, type RgbImage } from './preprocess';
import type { PreprocessOptionsInput } from '../../../shared/contract/data';

export interface MapOptions {
  /** Most items in flight at once (the window). Default: {@link defaultConcurrency}(). */
  concurrency?: number;
  /** Stops pulling new items once aborted; the iterator then throws CANCELLED. Default: none. */
  signal?: AbortSignal;
}

/**
 * Default window: CPUs + 2. sharp runs each image on libuv's thread pool, so a few more images in
 * flight than cores keeps every core decoding while JavaScript handles finished ones.
 */
export function defaultConcurrency(): number {
  return Math.max(2, os.availableParallelism()) + 2;
}

/**
 * Maps `source` through async `work` with at most `concurrency` calls in flight, yielding results
 * in input order. A finished item behind a slow one does not idle a worker: up to
 * `2 × concurrency` results may wait, in order, for the consumer. Backpressure: beyond that
 * nothing new starts until the consumer pulls, so memory stays bounded however slow the consumer
 * is, while decoding of the next items overlaps with whatever the consumer does with this one.
 */
export async function* mapConcurrent<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  work: (item: T, index: number) => Promise<R>,
  options: MapOptions = {},
): AsyncGenerator<R> {
  const concurrency = Math.max(1, options.concurrency ?? defaultConcurrency());
  const maxAhead = concurrency * 2;
  const iterator = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as
    AsyncIterator<T> | Iterator<T>;
  type Settled = { value: R } | { error: unknown };
  const queue: Promise<Settled>[] = [];
  let index = 0;
  let active = 0;
  let done = false;
  let closed = false;
  let pullError: { error: unknown } | undefined;
  let pumping: Promise<void> | undefined;

  const pull = async () => {
    try {
      while (!done && !closed && active < concurrency && queue.length < maxAhead) {
        if (options.signal) throwIfCancelled(options.signal);
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        active++;
        const task = work(next.value, index++).then(
          (value): Settled => ({ value }),
          (error: unknown): Settled => ({ error }),
        );
        void task.then(() => {
          active--;
          pump();
        });
        queue.push(task);
      }
    } catch (error) {
      pullError = { error };
      done = true;
    }
  };
  const pump = () => {
    if (!pumping) pumping = pull().finally(() => (pumping = undefined));
    return pumping;
  };

  try {
    await pump();
    for (;;) {
      if (options.signal) throwIfCancelled(options.signal);
      if (queue.length === 0) {
        if (pumping) await pumping;
        else if (!done) await pump();
        if (queue.length === 0) {
          if (pullError) throw pullError.error;
          if (done) break;
          continue;
        }
      }
      const settled = await queue.shift()!;
      if ('error' in settled) throw settled.error;
      yield settled.value;
      void pump();
    }
  } finally {
    closed = true;
    if (!done) await iterator.return?.();
    // Let in-flight work finish quietly so nothing rejects unobserved.
    await Promise.allSettled(queue);
  }
}

/** One item of {@link preprocessStream}: pixels, or the reason a file could not be used. */
export type PreprocessedItem<T> =
  ({ ok: true; item: T; index: number } & RgbImage) | { ok: false; item: T; index: number; error: Error };

export interface PreprocessStreamOptions extends MapOptions, DecodeLimits {
  /** Cache of preprocessed pixels, used when items carry a content hash. Default: none. */
  cache?: CacheStore;
}

/** What {@link preprocessStream} accepts: a path, or a path with its content hash (enables the pixel cache). */
export type PreprocessInput = string | { path: string; hash?: string };

/**
 * The input pipeline: decodes and preprocesses many images with bounded concurrency and
 * backpressure, in input order. Failed files become `{ok: false}` items (the run carries on).
 * The training code consumes it with `for await`, batching as it goes.
 */
export async function* preprocessStream<T extends PreprocessInput>(
  items: Iterable<T> | AsyncIterable<T>,
  options: PreprocessOptionsInput = {},
  streamOptions: PreprocessStreamOptions = {},
): AsyncGenerator<PreprocessedItem<T>> {
  const resolved = resolvePreprocessOptions(options);
  const { cache } = streamOptions;
  yield* mapConcurrent(
    items,
    async (item, index): Promise<PreprocessedItem<T>> => {
      const path = typeof item === 'string' ? item : item.path;
      const hash = typeof item === 'string' ? undefined : item.hash;
      try {
        if (cache && hash) {
          const cached = await cache.readPixels(hash, resolved);
          if (cached) return { ok: true, item, index, ...cached };
        }
        const image = await preprocessResolved(path, resolved, streamOptions);
        if (cache && hash) await cache.writePixels(hash, resolved, image);
        return { ok: true, item, index, ...image };
      } catch (error) {
        return { ok: false, item, index, error: error instanceof Error ? error : new Error(String(error)) };
      }
    },
    streamOptions,
  );
}
