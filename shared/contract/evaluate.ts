/**
 * Evaluate and Predict: the held-out metrics of a run (evaluation.json in the run folder), predictions of a
 * run's model or an exported TF.js folder on any images, and one run read as plain data for the runs list.
 * Thumbnails of the images named here come from `data.thumbnail` (shared/contract/data.ts).
 */
import { z } from 'zod';
import { call, job } from './define';
import { EvaluationRecord, ExportRecord, RunStatus, SavedPoint } from './run-file';
import { EpochRecord, TrainConfig } from './training';
import { Evaluation, Interval } from './evaluation';

export * from './evaluation';

export const EvaluateRequest = z
  .object({
    /** The run folder (its `model/` is evaluated; the run must have completed). */
    runDir: z.string().min(1),
    /**
     * A labelled folder to evaluate instead of the test split: one sub-folder per class, names matched to the
     * run's classes (an unknown class is an error naming it). Default: the run's held-out test split. Only a
     * test-split evaluation is written to evaluation.json and recorded in run.json.
     */
    dataDir: z.string().min(1).optional(),
    /** Images per inference batch. Default: 32. */
    batchSize: z.number().int().min(1).max(1024).default(32),
  })
  .strict();
export type EvaluateRequest = z.output<typeof EvaluateRequest>;

/** The engine running the model for predict / evaluate / Try: ONNX Runtime (the fast path) or tfjs, and why. */
export const InferenceEngine = z.object({
  engine: z.enum(['onnxruntime', 'tfjs']),
  /** ONNX Runtime's execution provider, e.g. "cpu". */
  provider: z.string().optional(),
  threads: z.number().optional(),
  /** Why tfjs is used, or why better ORT providers were not. */
  reason: z.string().optional(),
});
export type InferenceEngine = z.infer<typeof InferenceEngine>;

/** Progress of evaluate and predict: images done of total (plain numbers and a phase label). */
export const InferenceProgress = z.object({
  phase: z.enum(['load', 'predict', 'metrics', 'save']),
  done: z.number(),
  total: z.number(),
  imagesPerSecond: z.number().optional(),
  /** Phase "predict": the engine running the model. */
  engine: InferenceEngine.optional(),
  numTensors: z.number(),
});
export type InferenceProgress = z.infer<typeof InferenceProgress>;

/** One class and its probability. */
export const LabelProbability = z.object({ label: z.string(), probability: z.number() });
export type LabelProbability = z.infer<typeof LabelProbability>;

/** A prediction of one image, or why it has none (not an image, unreadable). */
export const PredictionRow = z.union([
  z.object({
    path: z.string(),
    /** Top class and its probability. */
    label: z.string(),
    probability: z.number(),
    /** The `top` most probable classes, most probable first. */
    top: z.array(LabelProbability),
  }),
  z.object({ path: z.string(), error: z.string() }),
]);
export type PredictionRow = z.infer<typeof PredictionRow>;

export const PredictRequest = z
  .object({
    /** A run folder (its final `model/`), an exported TF.js folder (model.json + metadata.json) or ONNX folder (model.onnx + metadata.json). */
    model: z.string().min(1),
    /** Image files and folders (folders are walked recursively for images). */
    paths: z.array(z.string().min(1)).min(1).max(10_000),
    /** How many classes to list per image. Default: 3 (at most the number of classes). */
    top: z.number().int().min(1).max(1000).default(3),
    /** Images per inference batch. Default: 32. */
    batchSize: z.number().int().min(1).max(1024).default(32),
  })
  .strict();
export type PredictRequest = z.output<typeof PredictRequest>;

export const PredictResponse = z.object({
  /** What the model was loaded from. */
  source: z.enum(['run', 'tfjs-export', 'onnx-export']),
  /** The engine that ran the model. */
  engine: InferenceEngine.optional(),
  classes: z.array(z.string()),
  /** One row per image file, in the order given (folders: sorted paths); failures are rows with `error`. */
  predictions: z.array(PredictionRow),
  durationMs: z.number().min(0),
  /** Images predicted per second (excluding model loading). */
  imagesPerSecond: z.number().min(0),
});
export type PredictResponse = z.infer<typeof PredictResponse>;

/** Largest base64 text of one image sent by value (fits the 8 MiB WebSocket message of `serve` with room to spare). */
export const MAX_IMAGE_BASE64_CHARS = 7_000_000;

/** Images sent by value (pasted, or dropped in a browser tab, where files have no path). */
export const PredictImagesRequest = z
  .object({
    /** A run folder (its final `model/`), an exported TF.js folder (model.json + metadata.json) or ONNX folder (model.onnx + metadata.json). */
    model: z.string().min(1),
    /** The encoded files (JPEG, PNG, WebP, GIF, …) as base64; `name` is echoed as the row's `path`. */
    images: z
      .array(
        z.object({ name: z.string().min(1).max(1000), base64: z.string().min(1).max(MAX_IMAGE_BASE64_CHARS) }).strict(),
      )
      .min(1)
      .max(16),
    /** How many classes to list per image. Default: 3. */
    top: z.number().int().min(1).max(1000).default(3),
  })
  .strict();
export type PredictImagesRequest = z.output<typeof PredictImagesRequest>;

/** A run as the runs list, compare and Open need it: plain data from run.json (no tensors). */
export const RunSummary = z.object({
  runDir: z.string(),
  /** The folder name (the run id for runs of a project). */
  id: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  updatedAt: z.string(),
  base: z.string(),
  backend: z.string(),
  /** The head as its CLI string ("dense:128:relu,dropout:0.2,…"). */
  head: z.string(),
  config: TrainConfig,
  /** Dataset source folders trained from. */
  sources: z.array(z.string()),
  split: z
    .object({ train: z.number(), validation: z.number(), test: z.number(), seed: z.number().optional() })
    .optional(),
  classes: z.array(z.string()),
  history: z.array(
    EpochRecord.extend({
      loss: z.number().nullable(),
      accuracy: z.number().nullable(),
      valLoss: z.number().nullable(),
      valAccuracy: z.number().nullable(),
    }),
  ),
  /** The best epoch (the weights kept); valLoss/valAccuracy null when NaN. */
  best: SavedPoint.extend({ valLoss: z.number().nullable(), valAccuracy: z.number().nullable() }).optional(),
  durationMs: z.number(),
  /** Images of the held-out test split. */
  testCount: z.number().int().min(0),
  /** True when `model/` is there (a completed run): it can be evaluated, tried and exported. */
  hasModel: z.boolean(),
  error: z.string().optional(),
  /** The project record, when the run belongs to one. */
  project: z.object({ dir: z.string(), runId: z.string() }).optional(),
  /** run.json's evaluation record plus evaluation.json's headline figures; null before any evaluation. */
  evaluation: EvaluationRecord.extend({
    accuracy: z.number().nullable(),
    accuracyInterval: Interval.nullable(),
    macroF1: z.number().nullable(),
  }).nullable(),
  exports: z.record(z.string(), ExportRecord),
});
export type RunSummary = z.infer<typeof RunSummary>;

const RunDirRequest = z.object({ runDir: z.string().min(1) }).strict();

/** Calls and jobs of Evaluate, Predict (Try) and the runs list. */
export const evaluateContract = {
  'evaluation.evaluate': job({
    summary:
      "Evaluates a completed run's model on its held-out test split (written to evaluation.json) or on a labelled folder.",
    request: EvaluateRequest,
    response: Evaluation,
    progress: InferenceProgress,
    paths: (request) => [request.runDir, ...(request.dataDir ? [request.dataDir] : [])],
  }),
  'evaluation.read': call({
    summary: "A run's evaluation.json, or null when the run has not been evaluated.",
    request: RunDirRequest,
    response: Evaluation.nullable(),
    paths: (request) => [request.runDir],
  }),
  'prediction.predict': job({
    summary: 'Top-k predictions of a run folder or exported TF.js model on image files and folders (batched).',
    request: PredictRequest,
    response: PredictResponse,
    progress: InferenceProgress,
    paths: (request) => [request.model, ...request.paths],
  }),
  'prediction.predictImages': call({
    summary: 'Top-k predictions of images sent by value (pasted or dropped in a browser), e.g. for the Try panel.',
    request: PredictImagesRequest,
    response: PredictResponse,
    paths: (request) => [request.model],
  }),
  'runs.read': call({
    summary: 'One run as plain data for the runs list and compare: config, classes, history, best, status, evaluation.',
    request: RunDirRequest,
    response: RunSummary,
    paths: (request) => [request.runDir],
  }),
} as const;
