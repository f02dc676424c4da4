/**
 * Dataset insight: possible mislabels (confident learning on out-of-fold predictions), near-duplicates and
 * split leakage, outliers, and a 2-D embedding map of every image — all from the base's cached features.
 * Findings are advice: acting on one is a dataset edit (ImageEdits), never a change to the user's files.
 */
import { z } from 'zod';
import { call, job } from './define';
import { DatasetSpec } from './dataset-spec';
import { PreprocessOptions } from './data';
import { InferenceEngine } from './evaluate';
import { TrainSplit } from './training';

/** Where an image falls in the train / validation / test assignment (the same one training uses). */
export const SplitName = z.enum(['train', 'validation', 'test']);
export type SplitName = z.infer<typeof SplitName>;

export const InspectRequest = z
  .object({
    /** Folders of images (one sub-folder per class). Ignored when `dataset` is given. One of the two is required. */
    dirs: z.array(z.string().min(1)).min(1).max(100).optional(),
    /** The dataset as the Data step shows it (sources, renames, merges, exclusions, image edits). Wins over `dirs`. */
    dataset: DatasetSpec.optional(),
    /** The split to check for leakage. Default: the project's split, else 0.8 / 0.1 / 0.1 with seed 42. */
    split: TrainSplit.optional(),
    /** Base model id whose features are compared. Default: the project's base, else the bundled MobileNetV2. */
    base: z.string().min(1).max(200).optional(),
    preprocess: PreprocessOptions.optional(),
    /** Feature cache folder. Default: `<projectDir>/cache` with a project, else the app's cache folder. */
    cacheDir: z.string().min(1).optional(),
    /** Project folder: its dataset/split/base are the defaults and the result is saved as its `insight.json`. Default: none. */
    projectDir: z.string().min(1).max(4096).optional(),
    /** Folds of the out-of-fold predictions behind the mislabel finder (2–20). Default: 5. */
    folds: z.number().int().min(2).max(20).default(5),
    /** Seed of the folds, the head initialisation and the map. Default: 42. */
    seed: z.number().int().default(42),
    /** Cosine similarity of features at or above which two images are near-duplicates (0–1). Default: 0.97. */
    duplicateSimilarity: z.number().min(0).max(1).default(0.97),
    /** Compute the 2-D embedding map (UMAP). Default: true. */
    map: z.boolean().default(true),
  })
  .strict()
  .refine((request) => request.dataset !== undefined || (request.dirs?.length ?? 0) > 0 || !!request.projectDir, {
    message: 'Give the images to inspect: `dataset`, `dirs` or `projectDir`; none was given.',
    path: ['dataset'],
  });
export type InspectRequest = z.output<typeof InspectRequest>;

export const InspectProgress = z.object({
  phase: z.enum(['scan', 'extract', 'folds', 'duplicates', 'outliers', 'map', 'save']),
  done: z.number(),
  total: z.number(),
  /** Phase "extract": the engine computing missing features, and why. */
  engine: InferenceEngine.optional(),
});
export type InspectProgress = z.infer<typeof InspectProgress>;

/** One image of the inspected dataset; findings refer to images by their index in `images`. */
export const InspectedImage = z.object({
  path: z.string(),
  /** The image's (final) class. */
  label: z.string(),
  split: SplitName,
  /** sha256 of the file bytes (the key of ImageEdits.conflicts and of thumbnails). */
  hash: z.string(),
});
export type InspectedImage = z.infer<typeof InspectedImage>;

/** A possibly mislabelled image (confident learning: Northcutt et al., 2021). */
export const Suspect = z.object({
  image: z.number().int().min(0),
  label: z.string(),
  /** The class the out-of-fold model finds more likely. */
  suggested: z.string(),
  /** Out-of-fold probability of the given label and of the suggested one. */
  givenProbability: z.number(),
  suggestedProbability: z.number(),
  /** Ranking score, higher = more suspect (0–1: the margin of the suggested over the given label). */
  score: z.number(),
});
export type Suspect = z.infer<typeof Suspect>;

/**
 * Images that are (nearly) the same picture: 'near-duplicate' in one class, 'label-conflict' across classes,
 * 'leakage' across the train / validation / test split (a test image with a copy in training makes test accuracy lie).
 */
export const NearDuplicateGroup = z.object({
  kind: z.enum(['near-duplicate', 'label-conflict', 'leakage']),
  images: z.array(z.number().int().min(0)).min(2),
  /** Lowest feature cosine similarity between members (1 = same features). */
  similarity: z.number(),
  /** Largest perceptual-hash Hamming distance between members (0–64), when computed. */
  hashDistance: z.number().int().min(0).max(64).optional(),
  /** Plain words naming the files, classes and splits. */
  message: z.string(),
});
export type NearDuplicateGroup = z.infer<typeof NearDuplicateGroup>;

/** An image far from every class (a blank frame, a screenshot in a photo class). */
export const Outlier = z.object({
  image: z.number().int().min(0),
  /** Higher = further from every class (robust z-score of the distance to its nearest class centre). */
  score: z.number(),
  /** The class whose centre is nearest. */
  nearestClass: z.string(),
  message: z.string(),
});
export type Outlier = z.infer<typeof Outlier>;

export const InsightResult = z.object({
  /** When it was computed (ISO time) and from what. */
  createdAt: z.string(),
  base: z.string(),
  /** Data fingerprint of the inspected images (changes when the dataset does). */
  fingerprint: z.string(),
  classes: z.array(z.string()),
  images: z.array(InspectedImage),
  /** Most suspect first. */
  suspects: z.array(Suspect),
  nearDuplicates: z.array(NearDuplicateGroup),
  /** Most outlying first. */
  outliers: z.array(Outlier),
  /** Accuracy of the out-of-fold predictions (how separable the classes are with this base). */
  outOfFoldAccuracy: z.number().nullable(),
  /** 2-D coordinates aligned with `images` (x[i], y[i]); null when `map` was false. */
  map: z.object({ seed: z.number().int(), x: z.array(z.number()), y: z.array(z.number()) }).nullable(),
  /** The thresholds used, so the report can say why. */
  settings: z.object({ folds: z.number().int(), seed: z.number().int(), duplicateSimilarity: z.number() }),
  /** Images that could not be read now (deleted or changed since the scan): left out, named. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  engine: InferenceEngine.optional(),
  durationMs: z.number().min(0),
});
export type InsightResult = z.infer<typeof InsightResult>;

const ProjectDirRequest = z.object({ projectDir: z.string().min(1).max(4096) }).strict();

/** Calls and jobs of dataset insight. */
export const insightContract = {
  'insight.inspect': job({
    summary:
      'Finds possible mislabels, near-duplicates, split leakage and outliers in a dataset and maps every image in 2-D.',
    request: InspectRequest,
    response: InsightResult,
    progress: InspectProgress,
    paths: (request) => [
      ...(request.dirs ?? []),
      ...(request.dataset?.sources.map((source) => source.path) ?? []),
      ...(request.cacheDir ? [request.cacheDir] : []),
      ...(request.projectDir ? [request.projectDir] : []),
    ],
  }),
  'insight.read': call({
    summary: "A project's last insight (insight.json), or null when it has none.",
    request: ProjectDirRequest,
    response: InsightResult.extend({
      /** True when the dataset changed since (the findings may be out of date). */
      stale: z.boolean(),
    }).nullable(),
    paths: (request) => [request.projectDir],
  }),
} as const;
