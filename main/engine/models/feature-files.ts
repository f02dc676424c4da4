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

/** Features of every file, flattened per image: `data` is [files.length, ...shape]. */
export async function featuresOfFiles(
  base: LoadedBase,
  files: readonly string[],
  options: FeatureFileOptions = {},
): Promise<{ data: Float32Array; shape: number[] }> {
  const batchSize = options.batchSize ?? 16;
  const probe = options.layer ? innerModel(base.model, [options.layer]) : base.model;
  const itemShape = probe.outputs[0]!.shape.slice(1) as number[];
  if (itemShape.some((d) => d === null))
    throw new StudioError('UNSUPPORTED', `Layer ${quote(options.layer)} has an unknown output size.`);
  const per = itemShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(files.length * per);
  // The same engine choice as phase-1 training: ONNX Runtime when the (sub-)model converts, else tfjs.
  const extractor = options.layer ? await createExtractor(probe, base.info) : await extractorFor(base);
  try {
    await extractAll();
  } finally {
    if (options.layer) await extractor.dispose();
  }
  return { data, shape: [files.length, ...itemShape] };

  async function extractAll(): Promise<void> {
    for (let start = 0; start < files.length; start += batchSize) {
      if (options.signal) throwIfCancelled(options.signal);
      const chunk = files.slice(start, start + batchSize);
      const images = await Promise.all(chunk.map((file) => preprocessImage(file, { size: base.info.inputSize })));
      const pixels = new Uint8Array(chunk.length * base.info.inputSize ** 2 * 3);
      images.forEach((image, i) => pixels.set(image.data, i * image.data.length));
      data.set(await extractor.run(pixels, chunk.length), start * per);
      options.onProgress?.(Math.min(start + batchSize, files.length), files.length);
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
