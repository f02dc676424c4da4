/**
 * Features of image files: decode (the data domain's `preprocessImage`), scale for the base, run the
 * named layer batch by batch, and write .npy or .csv.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError, quote } from '../../../shared/errors';
import { preprocessImage } from '../data/preprocess';
import { looksLikeImageName } from '../data/sniff';
import { walkFiles } from '../data/walk';
import { throwIfCancelled } from '../cancel';
import type { LoadedBase } from './bases/registry';
import { createExtractor, extractorFor } from '../onnx/extractor';
import { innerModel } from './features';
import { writeFeatureCsv, writeNpy } from './io/feature-files';

/** Image files named by `inputs` (folders searched recursively, names sorted), in order. */
export async function collectImages(inputs: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const stat = await fs.stat(input).catch(() => undefined);
    if (!stat) throw new StudioError('NOT_FOUND', `No file or folder at ${quote(input)}.`, { path: input });
    if (stat.isFile()) files.push(input);
    else
      for await (const file of walkFiles(input, { signal }))
        if (looksLikeImageName(path.basename(file.path))) files.push(file.path);
  }
  if (files.length === 0) throw new StudioError('BAD_INPUT', `No images found in ${quote(inputs)}.`, { inputs });
  return files;
}

export interface FeatureFileOptions {
  /** Inner layer. Default: the base's output (its pooled feature). */
  layer?: string;
  /** Default: 16. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** A file left out of the features, and why in plain words. */
export interface SkippedImage {
  path: string;
  message: string;
}

/**
 * Features of every file that decodes, flattened per image: `data` is [files.length, ...shape] of the
 * `files` kept. A file that cannot be decoded (truncated, damaged, deleted meanwhile) is left out and
 * listed in `skipped`, as `train` does; the rest carry on.
 * @throws StudioError BAD_INPUT when no file at all can be decoded.
 */
export async function featuresOfFiles(
  base: LoadedBase,
  allFiles: readonly string[],
  options: FeatureFileOptions = {},
): Promise<{ data: Float32Array; shape: number[]; files: string[]; skipped: SkippedImage[] }> {
  const batchSize = options.batchSize ?? 16;
  const probe = options.layer ? innerModel(base.model, [options.layer]) : base.model;
  const itemShape = probe.outputs[0]!.shape.slice(1) as number[];
  if (itemShape.some((d) => d === null))
    throw new StudioError('UNSUPPORTED', `Layer ${quote(options.layer)} has an unknown output size.`);
  const per = itemShape.reduce((a, b) => a * b, 1);
  const all = new Float32Array(allFiles.length * per);
  const files: string[] = [];
  const skipped: SkippedImage[] = [];
  // The same engine choice as phase-1 training: ONNX Runtime when the (sub-)model converts, else tfjs.
  const extractor = options.layer ? await createExtractor(probe, base.info) : await extractorFor(base);
  try {
    await extractAll();
  } finally {
    if (options.layer) await extractor.dispose();
  }
  if (files.length === 0) {
    throw new StudioError(
      'BAD_INPUT',
      `None of the ${allFiles.length} images could be read: ${skipped[0]?.message ?? ''}`,
      {
        skipped,
      },
    );
  }
  return { data: all.subarray(0, files.length * per), shape: [files.length, ...itemShape], files, skipped };

  async function extractAll(): Promise<void> {
    for (let start = 0; start < allFiles.length; start += batchSize) {
      if (options.signal) throwIfCancelled(options.signal);
      const chunk = allFiles.slice(start, start + batchSize);
      const settled = await Promise.allSettled(
        chunk.map((file) => preprocessImage(file, { size: base.info.inputSize })),
      );
      const images: Uint8Array[] = [];
      settled.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          images.push(result.value.data);
          files.push(chunk[i]!);
        } else {
          const why = result.reason instanceof Error ? result.reason.message : String(result.reason);
          skipped.push({ path: chunk[i]!, message: `Skipped ${quote(chunk[i])}: ${why}` });
        }
      });
      if (images.length > 0) {
        const pixels = new Uint8Array(images.length * base.info.inputSize ** 2 * 3);
        images.forEach((image, i) => pixels.set(image, i * image.length));
        all.set(await extractor.run(pixels, images.length), (files.length - images.length) * per);
      }
      options.onProgress?.(Math.min(start + batchSize, allFiles.length), allFiles.length);
    }
  }
}

/** Writes features to `.npy` (shape [N, ...]) or `.csv` (file name + flattened values per row). */
export async function writeFeatures(
  out: string,
  files: readonly string[],
  data: Float32Array,
  shape: readonly number[],
): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  if (/\.npy$/i.test(out)) await writeNpy(out, data, shape);
  else if (/\.csv$/i.test(out)) await writeFeatureCsv(out, files, data, data.length / files.length);
  else throw new StudioError('BAD_INPUT', `The output file must end in .npy or .csv, received ${quote(out)}.`);
}
