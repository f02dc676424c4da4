/**
 * metadata.json of an exported TF.js / Teachable Machine model folder: Teachable Machine's fields (so its loader
 * reads it unchanged) plus a `transferStudio` block saying exactly what the model expects as input, so
 * `predict`, Try and the model card read one description. Written by the export registry, read by predict.
 */
import { z } from 'zod';
import { PreprocessOptions } from './data';
import { Scaling } from './models';

/**
 * What the model's input tensor holds, float32 `[N, size, size, 3]` RGB:
 * - `'pixels'`: raw 0–255 values; the base's scaling is the model's first layer (the TF.js export);
 * - `'tm'`: Teachable Machine's `x/127 − 1`; the model maps that to the base's scaling itself (the tm export);
 * - `'scaled'`: already scaled by `scaling` (a run folder's model/).
 */
export const ModelInput = z.enum(['pixels', 'tm', 'scaled']);
export type ModelInput = z.infer<typeof ModelInput>;

/** The Transfer Studio block of metadata.json. */
export const TransferStudioMetadata = z.object({
  /** Format version of this block. */
  version: z.literal(1),
  input: ModelInput,
  /** The base's own scaling of 0–255 pixels (what `'scaled'` means; recorded for every input kind). */
  scaling: Scaling,
  /** How images are resized and flattened before the model (see PreprocessOptions). */
  preprocess: PreprocessOptions,
  /** Base id and the run the model came from. */
  base: z.string(),
  runId: z.string().optional(),
  /** App version that wrote it. */
  appVersion: z.string(),
  /**
   * Present when the model's probabilities are temperature-scaled: the output Dense `layer`'s kernel and bias
   * were divided by `temperature` (fitted on the run's validation split), so it outputs softmax(z / T).
   * Multiply them by T for the raw model. Absent: raw probabilities.
   */
  calibration: z
    .object({ method: z.literal('temperature'), temperature: z.number().positive(), layer: z.string() })
    .optional(),
});
export type TransferStudioMetadata = z.infer<typeof TransferStudioMetadata>;

/** metadata.json: Teachable Machine's fields (names and meaning as its image loader reads them) + ours. */
export const ModelMetadata = z.object({
  tfjsVersion: z.string(),
  tmVersion: z.string(),
  packageName: z.string(),
  packageVersion: z.string(),
  modelName: z.string(),
  timeStamp: z.string(),
  labels: z.array(z.string()).min(1),
  imageSize: z.number().int().positive(),
  transferStudio: TransferStudioMetadata.optional(),
});
export type ModelMetadata = z.infer<typeof ModelMetadata>;

export const MODEL_METADATA_FILE = 'metadata.json';
