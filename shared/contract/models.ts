import { z } from 'zod';
import { call, job } from './define';
import { HeadSpec } from '../layer-spec';

export { HeadSpec } from '../layer-spec';

/**
 * How pixels (0..255) become the base's input: `x/255` → [0, 1], `x/127.5-1` → [-1, 1] (Keras
 * MobileNet `preprocess_input`), `x` → unchanged.
 */
export const Scaling = z.enum(['x/255', 'x/127.5-1', 'x']);
export type Scaling = z.infer<typeof Scaling>;

export const BaseSource = z.enum(['bundled', 'catalog', 'imported']);
export type BaseSource = z.infer<typeof BaseSource>;

/** Everything recorded about a base (DESIGN §4). */
export const BaseInfo = z.object({
  /** Stable id, e.g. "nsfwjs-mobilenet-v2", "tm-mobilenet-v2-1.00", "imported-my-model". */
  id: z.string(),
  name: z.string(),
  /** What it is and where it comes from (credits the source). */
  description: z.string(),
  source: BaseSource,
  /** Square input side in pixels (224, 299, …). */
  inputSize: z.number().int().positive(),
  scaling: Scaling,
  /** The layer whose output is the feature. */
  cutLayer: z.string(),
  /** Pooling appended after the cut layer ("avg" = global average pooling), or none. */
  pooling: z.enum(['avg', 'none']),
  /** Length of the pooled feature vector (or product of its shape when not flat). */
  featureSize: z.number().int().positive(),
  /** Shape of one feature without the batch axis, e.g. [1280]. */
  featureShape: z.array(z.number().int().positive()),
  licence: z.string(),
  /** True for layers models (weights can be trained); graph models are inference-only. */
  fineTunable: z.boolean(),
  /** Download size in bytes (approximate for catalog entries until downloaded). */
  sizeBytes: z.number().int().nonnegative(),
  /** model.json URL for catalog bases. */
  url: z.string().optional(),
});
export type BaseInfo = z.infer<typeof BaseInfo>;

/** One row of `bases`. */
export const BaseListItem = z.object({
  id: z.string(),
  name: z.string(),
  source: BaseSource,
  inputSize: z.number().int(),
  featureSize: z.number().int(),
  /** True when usable offline now (bundled, imported, or downloaded and cached). */
  cached: z.boolean(),
  fineTunable: z.boolean(),
});
export type BaseListItem = z.infer<typeof BaseListItem>;

/**
 * Which base layers train. `all` = whole base frozen (default); `none` = whole base trainable;
 * `topLayers` = the top `n` weight-holding layers train; `topBlocks` = the top `n` blocks train
 * (MobileNetV2 `block_k_*` groups; other bases fall back to layers). `layers` then overrides
 * single layers by name (true = trainable).
 */
export const FreezePolicy = z
  .object({
    mode: z.enum(['all', 'none', 'topLayers', 'topBlocks']).default('all'),
    /** Default: 0. */
    n: z.number().int().min(0).default(0),
    /** Per-layer toggles, name → trainable. Default: none. */
    layers: z.record(z.string(), z.boolean()).default({}),
  })
  .strict();
export type FreezePolicy = z.infer<typeof FreezePolicy>;
export type FreezePolicyInput = z.input<typeof FreezePolicy>;

/** One row of a Keras-like `model.summary()`. */
export const SummaryRow = z.object({
  name: z.string(),
  /** The layer's class, e.g. "Conv2D", "Dense". */
  kind: z.string(),
  /** Output shape with null for the batch axis, e.g. [null, 1280]. */
  outputShape: z.array(z.number().nullable()),
  params: z.number().int(),
  /** False for frozen layers and layers without weights that sit in the base. */
  trainable: z.boolean(),
  /** "base" or "head". */
  part: z.enum(['base', 'head']),
});
export const ModelSummary = z.object({
  rows: z.array(SummaryRow),
  totalParams: z.number().int(),
  trainableParams: z.number().int(),
  nonTrainableParams: z.number().int(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

const BaseRef = z.string().min(1).max(200);

export const ImportRequest = z
  .object({
    /** Folder holding model.json and its weight shards, or a Keras 2 model file (.h5 / .hdf5). */
    path: z.string().min(1),
    /** Cut layer. Default: the last pooling/flatten layer before the classifier. */
    cutLayer: z.string().optional(),
    /**
     * Pixel scaling the model was trained with. Required for tfjs folders and for .h5 files that do not start with a
     * Rescaling layer (models.inspectImport returns `scaling` when the file tells). Default: what the file tells.
     */
    scaling: Scaling.optional(),
    /** Display name. Default: the folder name. */
    name: z.string().max(200).optional(),
  })
  .strict();

export const DownloadProgress = z.object({
  phase: z.string(),
  /** Index of the file being fetched and how many files there are. */
  file: z.number(),
  files: z.number(),
  bytes: z.number(),
  /** Total bytes, 0 while unknown. */
  totalBytes: z.number(),
});

/** One measured speed on this machine: per second, from a real run or a quick probe, and when. */
export const SpeedFigure = z
  .object({
    perSecond: z.number().positive(),
    from: z.enum(['run', 'probe']),
    at: z.iso.datetime(),
  })
  .strict();
export type SpeedFigure = z.infer<typeof SpeedFigure>;

/**
 * A base's measured speeds on this machine: feature extraction images/s per engine, fine-tuning images/s
 * (tfjs) and head-training feature rows/s. Missing figures are not measured yet.
 */
export const BaseSpeed = z
  .object({
    extract: z.object({ onnxruntime: SpeedFigure.optional(), tfjs: SpeedFigure.optional() }).strict().optional(),
    fineTune: SpeedFigure.optional(),
    headRows: SpeedFigure.optional(),
  })
  .strict();
export type BaseSpeed = z.infer<typeof BaseSpeed>;

/** Calls and jobs of the models domain: bases, heads, summaries, features. */
export const modelsContract = {
  'models.bases': call({
    summary: 'Lists bases: bundled, catalog (downloadable) and imported, with input and feature sizes.',
    request: z.object({}).strict(),
    response: z.array(BaseListItem),
  }),
  'models.baseInfo': call({
    summary: 'Everything recorded about one base (size, scaling, cut layer, licence …).',
    request: z.object({ base: BaseRef }).strict(),
    response: BaseInfo,
  }),
  'models.download': job({
    summary: 'Downloads (or resumes) a catalog base into the cache, verifying its pinned sha256.',
    request: z.object({ base: BaseRef }).strict(),
    response: BaseInfo,
    progress: DownloadProgress,
  }),
  'models.inspectImport': call({
    summary: 'Validates a tfjs layers-model folder or a Keras .h5 file and lists the layers it can be cut at.',
    request: z.object({ path: z.string().min(1) }).strict(),
    response: z.object({
      /** What the path holds. */
      format: z.enum(['tfjs', 'keras']).optional(),
      /**
       * The scaling the file tells: "x" for a Keras model starting with Rescaling (it scales its input itself),
       * the architecture's own for a keras.applications weights file; absent when unknown.
       */
      scaling: Scaling.optional(),
      inputSize: z.number().int(),
      defaultCutLayer: z.string(),
      layers: z.array(z.object({ name: z.string(), kind: z.string(), outputShape: z.array(z.number().nullable()) })),
    }),
    paths: (request) => [request.path],
  }),
  'models.import': call({
    summary: 'Imports a tfjs layers-model folder or a Keras .h5 model file as a base (copied into the cache).',
    request: ImportRequest,
    response: BaseInfo,
    paths: (request) => [request.path],
  }),
  'models.summary': call({
    summary: 'Keras-like summary of base + head: rows and total / trainable / non-trainable params.',
    request: z
      .object({
        base: BaseRef,
        head: HeadSpec,
        classes: z.number().int().min(2).max(100_000),
        freeze: FreezePolicy.optional(),
      })
      .strict(),
    response: ModelSummary,
  }),
  'models.features': job({
    summary: 'Outputs of a base layer (default: its feature layer) for the images of a folder, saved as .npy or .csv.',
    request: z
      .object({
        /** Folder of images (searched recursively) or image files. */
        inputs: z.array(z.string().min(1)).min(1),
        base: BaseRef,
        /** Inner layer name. Default: the base's cut layer (pooled feature). */
        layer: z.string().optional(),
        /** Output file ending in .npy or .csv. */
        out: z.string().regex(/\.(npy|csv)$/i, 'must end in .npy or .csv'),
        /** Images per batch. Default: 16. */
        batchSize: z.number().int().min(1).max(512).default(16),
      })
      .strict(),
    response: z.object({
      count: z.number().int(),
      shape: z.array(z.number()),
      out: z.string(),
      /** The files whose features are in `out`, in row order. */
      files: z.array(z.string()),
      /** Files left out because they could not be decoded (truncated, damaged, deleted meanwhile), with why. */
      skipped: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
    progress: z.object({ done: z.number(), total: z.number() }),
    paths: (request) => [...request.inputs, request.out],
  }),
  'models.speeds': call({
    summary:
      "Each base's measured speed on this machine (extraction, fine-tuning, head training), from runs and probes.",
    request: z.object({}).strict(),
    response: z.object({
      speeds: z.record(z.string(), BaseSpeed),
      /** Set when the speed store could not be read (it is then ignored and rebuilt), in plain words. */
      notice: z.string().optional(),
    }),
  }),
  'models.measureSpeed': job({
    summary: 'Measures a base with a quick probe (a few batches of a generated image): extraction, head, fine-tuning.',
    request: z
      .object({
        base: BaseRef,
        /** Also time a few fine-tuning steps on tfjs (the slow part). Default: true. */
        fineTune: z.boolean().default(true),
      })
      .strict(),
    response: BaseSpeed,
    progress: z.object({
      done: z.number(),
      total: z.number(),
      stage: z.enum(['load', 'extract', 'head', 'fine-tune']),
    }),
  }),
  'models.network': call({
    summary: "Whether the catalog's server answers now (for the base recommendation; a short request, no download).",
    request: z.object({}).strict(),
    response: z.object({
      reachable: z.boolean(),
      host: z.string(),
      /** Why it is not reachable, in plain words. */
      message: z.string().optional(),
    }),
  }),
} as const;
