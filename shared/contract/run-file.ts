/**
 * run.json, the record of one training run inside its run folder (layout: docs/run-folder.md):
 * the request with the dataset and split it trained on, the classes, the history, where the last and
 * the best checkpoints are, the held-out test split, and — for the steps after training — places
 * for the evaluation and the exports. Versioned (`version`); older files are migrated on read.
 */
import { z } from 'zod';
import { AutoRecord, EpochRecord, SkippedFile, TrainRequest } from './training';

/** The run.json version this build writes; versions 1 .. this one are read (older ones migrated). */
export const RUN_FILE_VERSION = 2;

/** The oldest run.json version this build can migrate. */
export const OLDEST_RUN_FILE_VERSION = 1;

/** 'running' is also what a run left behind by a killed engine says: it resumes from its checkpoint. */
export const RunStatus = z.enum(['running', 'completed', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

/** Phase 1 trains the head on cached features; phase 2 fine-tunes the top of the base with it. */
export const TrainingPhase = z.enum(['head', 'fine-tune']);
export type TrainingPhase = z.infer<typeof TrainingPhase>;

/**
 * A metric as JSON keeps it: JSON has no NaN or Infinity and writes them as null, so null reads
 * back as NaN (e.g. the loss of a diverged epoch) instead of failing the file.
 */
const Metric = z.preprocess(
  (value) => (value === null ? Number.NaN : value),
  z.custom<number>((value) => typeof value === 'number', { message: 'expected a number' }),
);

/** A plain name of a file or folder directly inside the run folder (never a path that leaves it). */
export const RunEntryName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\]/.test(name) && name !== '.' && name !== '..', {
    message: 'expected a name inside the run folder, without "/" or "\\" and not "." or ".."',
  });

/** One finished epoch (epochs are numbered across both phases); metrics may be NaN. */
export const RunEpoch = EpochRecord.extend({
  epoch: z.number().int().min(0),
  loss: Metric,
  accuracy: Metric,
  valLoss: Metric,
  valAccuracy: Metric,
});
export type RunEpoch = z.output<typeof RunEpoch>;

/** A model folder inside the run folder (checkpoint-<epoch>/, best-<epoch>/) and the epoch it was saved after. */
export const SavedPoint = z
  .object({
    folder: RunEntryName,
    epoch: z.number().int().min(0),
    phase: TrainingPhase,
  })
  .strict();
export type SavedPoint = z.output<typeof SavedPoint>;

/** The best epoch so far (lowest val_loss) and the early-stopping counter since it. */
export const BestPoint = SavedPoint.extend({
  valLoss: Metric,
  valAccuracy: Metric,
  /** Epochs since the best one without improvement (early stopping's `wait`). */
  wait: z.number().int().min(0),
}).strict();
export type BestPoint = z.output<typeof BestPoint>;

/** An image of the held-out test split; `label` indexes the run's `classes`. */
export const TestImage = z
  .object({
    path: z.string().min(1),
    /** sha256 of the file bytes (from the scan). */
    hash: z.string().min(1),
    label: z.number().int().min(0),
  })
  .strict();

/** The test split, held out of training and validation, for the Evaluate step. */
export const TestSplitRecord = z
  .object({
    count: z.number().int().min(0),
    images: z.array(TestImage),
  })
  .strict();

/** The project record of a run started with `projectDir`. */
export const ProjectRunRefRecord = z
  .object({
    /** Absolute project folder. */
    dir: z.string().min(1),
    /** The run's id in the project's `runs`. */
    runId: z.string().min(1),
  })
  .strict();

/**
 * Written by the Evaluate step once `evaluation.json` is complete (the metrics themselves live in
 * that file); tells a reader what was evaluated, so it can tell whether the file is current.
 */
export const EvaluationRecord = z
  .object({
    writtenAt: z.iso.datetime(),
    /** The model folder evaluated, e.g. "model" (the final model). */
    model: RunEntryName,
    /** Images of the test split evaluated. */
    images: z.number().int().min(0),
    /** Test accuracy, for lists of runs (NaN when there were no test images). */
    accuracy: Metric,
  })
  .strict();
export type EvaluationRecord = z.output<typeof EvaluationRecord>;

/** Written by the Export step once `exports/<format>/` is complete. */
export const ExportRecord = z
  .object({
    writtenAt: z.iso.datetime(),
    /** Files inside `exports/<format>/`, relative to it (e.g. "model.json", "labels.txt"). */
    files: z.array(z.string().min(1)),
  })
  .strict();
export type ExportRecord = z.output<typeof ExportRecord>;

/** Export format ids as folder names: lower-case letters, digits and "-" (e.g. "tfjs", "keras-h5"). */
export const ExportFormatName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a format id of lower-case letters, digits and "-" (e.g. "tfjs")');

/** Images per split of one class, as a run trained on them. */
export const SplitClassCount = z
  .object({
    name: z.string(),
    train: z.number().int().min(0),
    validation: z.number().int().min(0),
    test: z.number().int().min(0),
  })
  .strict();
export type SplitClassCount = z.output<typeof SplitClassCount>;

/**
 * What a run trained on, to tell on resume whether the images changed: per-class counts per split and
 * a sha256 over every image's split, class, content hash and path (sorted), so a replaced or moved
 * file is noticed even when the counts agree.
 */
export const DataFingerprint = z
  .object({
    classes: z.array(SplitClassCount),
    digest: z.string().min(1),
  })
  .strict();
export type DataFingerprint = z.output<typeof DataFingerprint>;

/** A resume that went on although the images had changed (`allowChangedData`), and what had changed. */
export const DataChangeRecord = z
  .object({
    at: z.iso.datetime(),
    /** Plain words, one entry per change (e.g. `"Bag": train 24 → 20`). */
    changes: z.array(z.string()),
  })
  .strict();
export type DataChangeRecord = z.output<typeof DataChangeRecord>;

/**
 * Temperature scaling of the final model (main/engine/training/calibrate-step.ts): `applied` when T was fitted
 * on the validation split and baked into the output Dense of `model/` (kernel and bias divided by T; multiply
 * them by T for the raw model), with the validation NLL and ECE before (T = 1) and after; `off` when the
 * config's `calibrate` is false; `skipped` when the model cannot be calibrated (e.g. a sigmoid output), why.
 */
export const CalibrationRecord = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('applied'),
      method: z.literal('temperature'),
      /** T: `model/` outputs softmax(z / T) where the raw model output softmax(z). */
      temperature: z.number().positive(),
      /** The output Dense whose kernel and bias were divided by T. */
      layer: z.string().min(1),
      /** Validation images T was fitted on. */
      images: z.number().int().min(1),
      /** Mean NLL and ECE (10 bins) of the validation split before (T = 1) and after. */
      nllBefore: z.number(),
      nllAfter: z.number(),
      eceBefore: z.number(),
      eceAfter: z.number(),
      /** How the fit was constrained, in plain words (e.g. why T was kept ≥ 1). Absent: T searched in [0.05, 20]. */
      note: z.string().optional(),
    })
    .strict(),
  z.object({ status: z.literal('off'), reason: z.string() }).strict(),
  z.object({ status: z.literal('skipped'), reason: z.string() }).strict(),
]);
export type CalibrationRecord = z.output<typeof CalibrationRecord>;

/** The whole run.json, version 2 (version 1 plus `evaluation` and `exports`). */
export const RunFile = z
  .object({
    version: z.literal(RUN_FILE_VERSION),
    status: RunStatus,
    /**
     * The request, with `dataset` (the spec scanned: sources, renames, merges, exclusions) and `split`
     * (fractions and seed) filled in when the run started, so a resume sees the same classes and split.
     */
    request: TrainRequest,
    base: z.string().min(1),
    /** Compute backend of the last session (e.g. "wasm", "tensorflow"). */
    backend: z.string(),
    /** Class names; a label is an index into this list. Empty until the dataset is scanned. */
    classes: z.array(z.string()),
    history: z.array(RunEpoch),
    /** The last finished epoch's model (with optimizer state), `checkpoint-<epoch>/`. */
    checkpoint: SavedPoint.optional(),
    /** The best epoch so far, `best-<epoch>/`. */
    best: BestPoint.optional(),
    /** Epoch (global) at which phase 2 starts; set when phase 1 is over. */
    fineTuneStartEpoch: z.number().int().min(0).optional(),
    /** True once phase 1 early-stopped or ran out of epochs (its head is in `head/`). */
    headDone: z.boolean(),
    /** Milliseconds spent training, summed over resumed sessions. */
    durationMs: z.number().min(0),
    startedAt: z.iso.datetime(),
    /** Set by every write. */
    updatedAt: z.iso.datetime(),
    /** Why the last session failed or was cancelled, in plain words. */
    error: z.string().optional(),
    test: TestSplitRecord.optional(),
    project: ProjectRunRefRecord.optional(),
    /** Added in version 2: the evaluation of the final model (absent until Evaluate runs). */
    evaluation: EvaluationRecord.optional(),
    /** Added in version 2: one record per export format written (absent until Export runs). */
    exports: z.record(ExportFormatName, ExportRecord).optional(),
    /**
     * Optional (no version bump: files without it still read; a resume then cannot check the images): what
     * the run trained on, written when the dataset is loaded; a resume refuses when it changed.
     */
    data: DataFingerprint.optional(),
    /** Optional: files the run left out (damaged, not images, unreadable…) and why, as its last session found them. */
    skipped: z.array(SkippedFile).optional(),
    /** Optional: resumes that went on with changed images (`allowChangedData`). */
    dataChanges: z.array(DataChangeRecord).optional(),
    /**
     * Optional (no version bump): the time budget and the sentence of the automatic settings (as `request.auto`),
     * and `budgetStop`, in plain words, when fine-tuning was stopped or skipped to stay within the budget.
     */
    auto: AutoRecord.extend({ budgetStop: z.string().optional() }).strict().optional(),
    /**
     * Optional (no version bump: older files read without it and mean "not calibrated"): the temperature baked
     * into `model/`, written with status `completed`.
     */
    calibration: CalibrationRecord.optional(),
  })
  .strict();
export type RunFile = z.output<typeof RunFile>;
