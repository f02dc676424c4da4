import { z } from 'zod';
import { DatasetSpec } from './dataset-spec';
import { call, job } from './define';

export { DataSource, DatasetSpec, ImageEdits, type DatasetSpecInput } from './dataset-spec';

/** Every kind of problem a scan reports, one per file. */
export const PROBLEM_KINDS = [
  'zero-byte',
  'not-an-image',
  'wrong-extension',
  'corrupt',
  'unsupported-format',
  'decompression-bomb',
  'tiny',
  'animated',
  'unreadable',
  'outside-class',
  'empty-class',
  'bad-name',
] as const;
export const ProblemKind = z.enum(PROBLEM_KINDS);
export type ProblemKind = z.infer<typeof ProblemKind>;

export const Problem = z.object({
  path: z.string(),
  kind: ProblemKind,
  /** Plain words, naming the file. */
  message: z.string(),
  /** 'error': the file is left out; 'warning': it is used anyway. */
  severity: z.enum(['error', 'warning']),
  class: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;

/**
 * Files with identical bytes. Across classes they contradict each other ('label-conflict'), until the
 * user keeps the image in one class or leaves it out everywhere ('resolved-conflict', see ImageEdits.conflicts).
 */
export const DuplicateGroup = z.object({
  kind: z.enum(['duplicate', 'label-conflict', 'resolved-conflict']),
  hash: z.string(),
  paths: z.array(z.string()),
  classes: z.array(z.string()),
  message: z.string(),
  /** For a 'resolved-conflict': the class the image is kept in, or null when it is left out of every class. */
  kept: z.string().nullable().optional(),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroup>;

/** Dataset-level findings; 'blocking' ones prevent training. */
export const DatasetWarning = z.object({
  kind: z.enum(['imbalance', 'few-images', 'too-few-images', 'one-class', 'no-images']),
  severity: z.enum(['warning', 'blocking']),
  message: z.string(),
  class: z.string().optional(),
});
export type DatasetWarning = z.infer<typeof DatasetWarning>;

/** One usable image. */
export const ImageRecord = z.object({
  path: z.string(),
  class: z.string(),
  /** sha256 of the file bytes, hex. */
  hash: z.string(),
  /** Size as displayed, after EXIF orientation. */
  width: z.number().int(),
  height: z.number().int(),
  format: z.string(),
  bytes: z.number().int(),
  /** True for the second and later copies of the same bytes in the same class (left out of splits). */
  duplicate: z.boolean(),
});
export type ImageRecord = z.infer<typeof ImageRecord>;

export const ScanOptions = z
  .object({
    /** Images with a side shorter than this are reported as tiny (still used). Default: 32. */
    minSide: z.number().int().min(1).max(10_000).default(32),
    /** Images with more pixels than this are refused as decompression bombs. Default: 268402689 (sharp's). */
    maxPixels: z.number().int().min(1).default(268_402_689),
    /** Fully decode every image (finds truncated files) and cache a thumbnail. Default: true. */
    decode: z.boolean().default(true),
    /** Most problems listed in the response (counts are always complete). Default: 10000. */
    maxProblems: z.number().int().min(0).default(10_000),
  })
  .strict();
export type ScanOptions = z.infer<typeof ScanOptions>;

export const ClassCount = z.object({ name: z.string(), count: z.number().int() });

export const ScanSummary = z.object({
  /** Id of this scan's records in the cache (for data.split). */
  scanId: z.string(),
  /** JSON-lines file of {@link ImageRecord}s in the cache. */
  recordsFile: z.string(),
  classes: z.array(ClassCount),
  /** Usable images, each counted once: the sum of the class counts (extra identical copies and label conflicts left out). */
  images: z.number().int(),
  filesSeen: z.number().int(),
  problems: z.array(Problem),
  problemCounts: z.record(z.string(), z.number().int()),
  /** Problems left out of `problems` because of maxProblems. */
  problemsOmitted: z.number().int(),
  duplicates: z.array(DuplicateGroup),
  warnings: z.array(DatasetWarning),
  /** False when a blocking warning exists. */
  canTrain: z.boolean(),
});
export type ScanSummary = z.infer<typeof ScanSummary>;

export const ScanProgress = z.object({
  phase: z.enum(['walking', 'checking', 'summarising']),
  filesSeen: z.number(),
  imagesOk: z.number(),
  problems: z.number(),
});

/** The project's cache folder. Default: the user cache folder of transfer-studio (env-paths). */
const cacheDir = z.string().min(1).optional();

export const ResizeMode = z.enum(['cover', 'contain', 'stretch']);
export const PreprocessOptions = z
  .object({
    /** Output side in pixels (the base's input size). Default: 224. */
    size: z.number().int().min(8).max(2048).default(224),
    /** 'cover' centre-crops, 'contain' pads, 'stretch' distorts. Default: 'cover'. */
    resize: ResizeMode.default('cover'),
    /** Colour behind transparent pixels and padding, '#rrggbb'. Default: '#ffffff'. */
    background: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .default('#ffffff'),
  })
  .strict();
export type PreprocessOptionsInput = z.input<typeof PreprocessOptions>;

export const AugmentOptions = z
  .object({
    /** Mirror left-right with probability 0.5. Default: true. */
    flip: z.boolean().default(true),
    /** Largest rotation either way, degrees. Default: 15. */
    rotation: z.number().min(0).max(180).default(15),
    /** Largest zoom-in, as a fraction (0.2 = up to 1.2×, random crop position). Default: 0.15. */
    zoom: z.number().min(0).max(1).default(0.15),
    /** Largest brightness change, fraction of full scale. Default: 0.15. */
    brightness: z.number().min(0).max(1).default(0.15),
    /** Largest contrast change, fraction. Default: 0.15. */
    contrast: z.number().min(0).max(1).default(0.15),
    /** Largest saturation change, fraction. Default: 0.15. */
    saturation: z.number().min(0).max(1).default(0.15),
    /** Gaussian noise standard deviation, in 0–255 units. Default: 4. */
    noise: z.number().min(0).max(64).default(4),
  })
  .strict();
export type AugmentOptionsInput = z.input<typeof AugmentOptions>;

export const SplitFractions = z
  .object({
    train: z.number().min(0).max(1),
    validation: z.number().min(0).max(1),
    test: z.number().min(0).max(1),
  })
  .strict()
  .refine((f) => Math.abs(f.train + f.validation + f.test - 1) < 1e-6, {
    message: 'train + validation + test must add up to 1',
  });

export const SplitCounts = z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() });

export const CacheKind = z.enum(['thumbnails', 'pixels', 'scans']);

const encodedImage = z.object({ mime: z.enum(['image/png', 'image/jpeg']), base64: z.string() });

/** Calls and jobs of the data domain. */
export const dataContract = {
  'data.scan': job({
    summary: 'Walks the dataset folders, checks every image and reports classes, problems, duplicates and warnings.',
    request: z.object({ spec: DatasetSpec, cacheDir, options: ScanOptions.default(ScanOptions.parse({})) }).strict(),
    response: ScanSummary,
    progress: ScanProgress,
    paths: (request) => [
      ...request.spec.sources.map((source) => source.path),
      ...(request.cacheDir ? [request.cacheDir] : []),
    ],
  }),
  'data.thumbnail': call({
    summary: 'A small JPEG of an image for the UI (cached by content hash).',
    request: z
      .object({ path: z.string().min(1), size: z.number().int().min(16).max(512).default(128), cacheDir })
      .strict(),
    response: encodedImage.extend({ file: z.string(), width: z.number().int(), height: z.number().int() }),
    paths: (request) => [request.path, ...(request.cacheDir ? [request.cacheDir] : [])],
  }),
  'data.preprocessPreview': call({
    summary: 'The image exactly as the model will see it (oriented, sRGB, flattened, resized), as a PNG.',
    request: z
      .object({ path: z.string().min(1), options: PreprocessOptions.default(PreprocessOptions.parse({})) })
      .strict(),
    response: encodedImage.extend({ width: z.number().int(), height: z.number().int() }),
    paths: (request) => [request.path],
  }),
  'data.augmentPreview': call({
    summary: 'A grid of augmented versions of one image (deterministic for the seed), as PNGs.',
    request: z
      .object({
        path: z.string().min(1),
        count: z.number().int().min(1).max(64).default(9),
        seed: z.number().int().default(0),
        augment: AugmentOptions.default(AugmentOptions.parse({})),
        options: PreprocessOptions.default(PreprocessOptions.parse({})),
      })
      .strict(),
    response: z.object({ images: z.array(encodedImage), width: z.number().int(), height: z.number().int() }),
    paths: (request) => [request.path],
  }),
  'data.split': call({
    summary: 'Stratified train/validation/test assignment derived from content hashes (stable when images are added).',
    request: z
      .object({
        scanId: z.string().regex(/^[0-9a-f]{8,64}$/),
        cacheDir,
        fractions: SplitFractions.default({ train: 0.7, validation: 0.15, test: 0.15 }),
        seed: z.number().int().default(0),
      })
      .strict(),
    response: z.object({
      splitFile: z.string(),
      counts: SplitCounts,
      perClass: z.array(z.object({ name: z.string() }).extend(SplitCounts.shape)),
      warnings: z.array(z.string()),
    }),
    paths: (request) => (request.cacheDir ? [request.cacheDir] : []),
  }),
  'data.cacheInfo': call({
    summary: 'Size of the cache (thumbnails, preprocessed pixels, scan records).',
    request: z.object({ cacheDir }).strict(),
    response: z.object({
      root: z.string(),
      bytes: z.number(),
      files: z.number().int(),
      byKind: z.record(z.string(), z.object({ bytes: z.number(), files: z.number().int() })),
    }),
    paths: (request) => (request.cacheDir ? [request.cacheDir] : []),
  }),
  'data.clearCache': call({
    summary: 'Deletes cached thumbnails, pixels and scan records (all kinds unless some are named).',
    request: z.object({ cacheDir, kinds: z.array(CacheKind).optional() }).strict(),
    response: z.object({ freedBytes: z.number(), files: z.number().int() }),
    paths: (request) => (request.cacheDir ? [request.cacheDir] : []),
  }),
} as const;
