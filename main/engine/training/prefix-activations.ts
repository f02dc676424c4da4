/**
 * Phase 2's frozen prefix run once per image and variant instead of every epoch: its outputs are stored in an
 * activation file (activation-file.ts) under `<cache>/activations`, and every epoch reads its batches from there
 * (activation-batches.ts). The prefix runs on ONNX Runtime when the run's extractor does (the prefix converted with
 * the product's converter, cached by weights hash like a base: onnx/base-cache.ts; on the shared worker session), on
 * tfjs `prefix.predict` otherwise (TRANSFER_STUDIO_EXTRACTOR=tfjs) — exactly the values the streaming path fed the
 * suffix. Pixels come from the same pipeline as everywhere (preprocessStream and the pixel cache); variant k ≥ 1 is
 * the same augmented picture as phase 1's variant k (augmentSeed(hash, k, seed)).
 *
 * A file holds one variant of one image list: its name is a key of the prefix (weights and cut), the preprocessing,
 * the variant (with the augmentation options and seed when k ≥ 1) and the list's content hashes in order — so a
 * resumed run, or a second run on the same split with another learning rate, reads it instead of computing it.
 * Old files are trimmed as activation-prune.ts says.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { AugmentOptionsInput } from '../../../shared/contract/data';
import type { BaseInfo } from '../../../shared/contract/models';
import { StudioError } from '../../../shared/errors';
import { cacheDir } from '../app-paths';
import { throwIfCancelled } from '../cancel';
import { augment, augmentSeed } from '../data/augment';
import type { CacheStore } from '../data/cache';
import { derivedKey } from '../data/hash';
import { preprocessStream } from '../data/pipeline';
import type { ResolvedPreprocessOptions } from '../data/preprocess';
import { weightsHash } from '../onnx/base-cache';
import { createExtractor, type ExtractorChoice, type ExtractorEngine, type FeatureExtractor } from '../onnx/extractor';
import { OrderedWindow } from '../onnx/ordered-window';
import { ActivationFile, ActivationWriter } from './activation-file';
import { pruneActivations } from './activation-prune';
import type { LabelledImage } from './extract';

/** Progress of computing one activation file. */
export interface ActivationProgress {
  /** Images done / in the file. */
  done: number;
  total: number;
  /** The engine running the prefix (told once, before the first batch). */
  extractor?: ExtractorChoice;
}

/** Options of {@link PrefixActivations}. */
export interface PrefixActivationsOptions {
  /** The frozen prefix (split-trainable.ts): image → the tensor entering the trainable suffix. */
  prefix: tf.LayersModel;
  info: Pick<BaseInfo, 'inputSize' | 'scaling'>;
  preprocess: ResolvedPreprocessOptions;
  /** Preprocessed-pixel cache of the data pipeline. Default: none. */
  pixelCache?: CacheStore;
  /** How variants k ≥ 1 are drawn. Default: the pipeline's defaults. */
  augmentOptions?: AugmentOptionsInput;
  /** Seed of the augmentation draws. */
  seed: number;
  /** Root of the app caches (files go to `<root>/activations`, the converted prefix to `<root>/onnx`). Default: `cacheDir()`. */
  cacheRoot?: string;
  /** Images per forward pass. Default: 16. */
  batchSize?: number;
  /** Runs the prefix. Default: `createExtractor(prefix)` for `engine`, on the shared session (made only when a file is missing). */
  extractor?: FeatureExtractor;
  /** Engine of the default extractor. Default: `configuredExtractor()` (TRANSFER_STUDIO_EXTRACTOR, else auto). */
  engine?: ExtractorEngine;
  /** After each batch of a file being computed. Default: none. */
  onProgress?: (progress: ActivationProgress) => void;
  signal: AbortSignal;
}

/** The stored activations of one phase: files opened (or computed) on first use, then read every epoch. */
export class PrefixActivations {
  /** Shape of one row, e.g. [7, 7, 160]. */
  readonly shape: number[];
  /** Floats per row. */
  readonly dim: number;
  /** Rows computed (not read from an existing file) so far. */
  computedRows = 0;
  /** Seconds spent computing files so far. */
  computeSeconds = 0;
  private readonly files = new Map<string, Promise<ActivationFile>>();
  private extractor: Promise<FeatureExtractor> | undefined;
  private prefixKey: string | undefined;

  constructor(readonly options: PrefixActivationsOptions) {
    this.shape = options.prefix.outputs[0]!.shape.slice(1) as number[];
    this.dim = this.shape.reduce((a, b) => a * b, 1);
  }

  /** Folder of the activation files. */
  get dir(): string {
    return path.join(this.options.cacheRoot ?? cacheDir(), 'activations');
  }

  /** The file of `variant` of `images` (0 = the images as preprocessed). */
  fileOf(images: readonly LabelledImage[], variant: number): string {
    this.prefixKey ??= weightsHash(this.options.prefix);
    const list = createHash('sha256');
    for (const image of images) list.update(`${image.hash}\n`);
    const key = derivedKey(list.digest('hex'), {
      activations: 1,
      prefix: this.prefixKey,
      preprocess: this.options.preprocess,
      variant,
      augment: variant > 0 ? { options: this.options.augmentOptions ?? {}, seed: this.options.seed } : null,
    });
    return path.join(this.dir, `${key}.act`);
  }

  /** The activations of `variant` of `images`: the stored file when intact, else computed and stored now. */
  open(images: readonly LabelledImage[], variant: number): Promise<ActivationFile> {
    const file = this.fileOf(images, variant);
    let found = this.files.get(file);
    if (!found) {
      found = this.openOrCompute(file, images, variant);
      this.files.set(file, found);
      found.catch(() => this.files.delete(file));
    }
    return found;
  }

  /** Closes every file opened (the files stay on disk). */
  async close(): Promise<void> {
    const files = await Promise.allSettled(this.files.values());
    this.files.clear();
    await Promise.all(files.map((f) => (f.status === 'fulfilled' ? f.value.close() : undefined)));
  }

  private async openOrCompute(file: string, images: readonly LabelledImage[], variant: number) {
    const stored = await ActivationFile.open(file, images.length, this.dim);
    if (stored) return stored;
    const started = performance.now();
    await this.compute(file, images, variant);
    this.computeSeconds += (performance.now() - started) / 1000;
    const written = await ActivationFile.open(file, images.length, this.dim);
    if (!written) throw new Error(`The activation file ${JSON.stringify(file)} could not be read back.`);
    const keep = [...this.files.keys()];
    await pruneActivations(this.dir, { keep }).catch(() => undefined);
    return written;
  }

  private async compute(file: string, images: readonly LabelledImage[], variant: number): Promise<void> {
    const { info, preprocess, signal } = this.options;
    const total = images.length;
    let done = 0;
    // Told at once: making the extractor (converting the prefix) can take seconds.
    this.options.onProgress?.({ done, total });
    this.extractor ??= this.options.extractor
      ? Promise.resolve(this.options.extractor)
      : createExtractor(this.options.prefix, info, {
          shared: true,
          ...(this.options.engine ? { engine: this.options.engine } : {}),
          ...(this.options.cacheRoot ? { cacheDir: this.options.cacheRoot } : {}),
        });
    const extractor = await this.extractor;
    const { engine, provider, threads, reason } = extractor;
    this.options.onProgress?.({
      done,
      total,
      extractor: {
        engine,
        ...(provider ? { provider } : {}),
        ...(threads ? { threads } : {}),
        ...(reason ? { reason } : {}),
      },
    });
    const batchSize = this.options.batchSize ?? 16;
    const bytes = info.inputSize ** 2 * 3;
    const writer = await ActivationWriter.create(file, images.length, this.dim);
    const window = new OrderedWindow<{ n: number; values: Float32Array }>(
      async ({ n, values }) => {
        if (values.length !== n * this.dim) {
          throw new Error(`The prefix gave ${values.length} floats for ${n} images; expected ${n * this.dim}.`);
        }
        await writer.append(values);
        done += n;
        this.computedRows += n;
        this.options.onProgress?.({ done, total });
      },
      (extractor.parallel ?? 1) + 1,
    );
    let pixels = new Uint8Array(batchSize * bytes);
    let n = 0;
    const submit = async () => {
      throwIfCancelled(signal);
      const batch = n === batchSize ? pixels : pixels.slice(0, n * bytes);
      const count = n;
      await window.push(async () => ({ n: count, values: await extractor.run(batch, count, true) }));
      pixels = new Uint8Array(batchSize * bytes);
      n = 0;
    };
    const items = images.map((image, index) => ({ path: image.path, hash: image.hash, index }));
    try {
      for await (const item of preprocessStream(items, preprocess, {
        signal,
        ...(this.options.pixelCache ? { cache: this.options.pixelCache } : {}),
      })) {
        if (!item.ok) throw new StudioError('BAD_INPUT', item.error.message, { path: item.item.path });
        const image = images[item.item.index]!;
        const data =
          variant === 0
            ? item.data
            : augment(item, this.options.augmentOptions ?? {}, augmentSeed(image.hash, variant, this.options.seed))
                .data;
        pixels.set(data, n * bytes);
        n++;
        if (n === batchSize) await submit();
      }
      if (n > 0) await submit();
      await window.drain();
      await writer.commit();
    } catch (error) {
      await window.settle();
      await writer.abort();
      throw error;
    }
  }
}
