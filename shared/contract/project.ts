/**
 * The project file: the user's work saved as a folder (`<dir>/project.json`, `<dir>/cache/`,
 * `<dir>/runs/`) so the desktop app, the CLI and browser mode can reopen it.
 * Versioned (`formatVersion`), with a `revision` counter bumped on every write (used to detect a
 * second program writing the same project).
 */
import { z } from 'zod';
import { call } from './define';
import { DatasetSpec, PreprocessOptions, SplitFractions } from './data';
import { FreezePolicy } from './models';
import { TrainConfig } from './training';
import { HeadSpec, defaultHeadSpec } from '../layer-spec';

/** The format this build writes; older files are migrated on open. */
export const PROJECT_FORMAT_VERSION = 1;

/** File and folder names inside a project folder. */
export const PROJECT_FILE = 'project.json';
export const PROJECT_BACKUP_FILE = 'project.json.bak';
export const PROJECT_CACHE_DIR = 'cache';
export const PROJECT_RUNS_DIR = 'runs';

/** Base of a new project: the bundled MobileNetV2 (main/engine/models/bases/bundled.ts DEFAULT_BASE_ID). */
export const DEFAULT_PROJECT_BASE = 'nsfwjs-mobilenet-v2';

/** How the dataset is split (see `data.split`). */
export const ProjectSplit = z
  .object({
    /** Fractions of each class. Default: 0.7 / 0.15 / 0.15. */
    fractions: SplitFractions.default({ train: 0.7, validation: 0.15, test: 0.15 }),
    /** Seed of the assignment. Default: 0. */
    seed: z.number().int().default(0),
  })
  .strict();
export type ProjectSplit = z.output<typeof ProjectSplit>;

/** The base model and which of its layers train. */
export const ProjectBase = z
  .object({
    /** Base id (see `models.bases`). Default: "nsfwjs-mobilenet-v2". */
    id: z.string().min(1).max(200).default(DEFAULT_PROJECT_BASE),
    /** Which base layers train. Default: the whole base frozen. */
    freeze: FreezePolicy.default({ mode: 'all', n: 0, layers: {} }),
  })
  .strict();
export type ProjectBase = z.output<typeof ProjectBase>;

export const RUN_STATUSES = ['running', 'completed', 'cancelled', 'failed', 'interrupted'] as const;
/** 'interrupted': left 'running' by an engine that died (crash, kill); its last checkpoint can be resumed. */
export const ProjectRunStatus = z.enum(RUN_STATUSES);
export type ProjectRunStatus = z.infer<typeof ProjectRunStatus>;

/** One training run of the project. */
export const ProjectRun = z
  .object({
    id: z.string().min(1).max(200),
    /** Run folder: relative to the project folder when inside it (so the project can be moved), else absolute. */
    dir: z.string().min(1),
    startedAt: z.iso.datetime(),
    /** When the run stopped (any status but 'running'). */
    endedAt: z.iso.datetime().optional(),
    status: ProjectRunStatus,
    /** Validation accuracy of the weights kept. */
    valAccuracy: z.number().optional(),
    /** Epoch (0-based, across phases) whose weights were kept. */
    bestEpoch: z.number().int().optional(),
    /** Why it failed or was interrupted, in plain words. */
    error: z.string().optional(),
    /** Process id of the engine running it (to tell a live run from one left by a crashed engine). */
    pid: z.number().int().optional(),
  })
  .strict();
export type ProjectRun = z.infer<typeof ProjectRun>;

/** Longest finding id kept (kind + image content hashes; findings.ts shortens longer ones). */
export const MAX_FINDING_ID_LENGTH = 200;
/** Most findings kept as they are; the oldest drop out beyond it. */
export const MAX_INSIGHT_KEPT = 5000;
/** Ids of insight findings the user kept as they are ("Keep"), oldest first. */
export const InsightKept = z.array(z.string().min(1).max(MAX_FINDING_ID_LENGTH)).max(MAX_INSIGHT_KEPT);

/** The whole project file, formatVersion 1. */
export const ProjectFile = z
  .object({
    formatVersion: z.literal(PROJECT_FORMAT_VERSION),
    /** Bumped by one on every write. */
    revision: z.number().int().min(0),
    name: z.string().min(1).max(200),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** The folders dragged in and the class edits; null until the user adds data. Default: null. */
    dataset: DatasetSpec.nullable().default(null),
    /** Resize/background options. Default: 224, cover, white. */
    preprocess: PreprocessOptions.default({ size: 224, resize: 'cover', background: '#ffffff' }),
    split: ProjectSplit.default({ fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 0 }),
    base: ProjectBase.default({ id: DEFAULT_PROJECT_BASE, freeze: { mode: 'all', n: 0, layers: {} } }),
    /** The head (issue 4: stored in the project). Default: Dense(128, relu) → Dropout(0.2) → output. */
    head: HeadSpec.default(defaultHeadSpec),
    /** Training options. Default: TrainConfig's defaults. */
    training: TrainConfig.default(() => TrainConfig.parse({})),
    runs: z.array(ProjectRun).default([]),
    /**
     * Insight findings kept as they are (Data step, "Keep"), by id (kind and image content hashes, so
     * they survive a new Inspect). Optional, so files written before it read unchanged. Default: none.
     */
    insightKept: InsightKept.optional(),
  })
  .strict();
export type ProjectFile = z.output<typeof ProjectFile>;
export type ProjectFileInput = z.input<typeof ProjectFile>;

/**
 * A partial update: each section given replaces that section whole (validated with its defaults);
 * sections left out are kept. Runs are changed by the training code, not by patches.
 */
export const ProjectPatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    dataset: DatasetSpec.nullable().optional(),
    preprocess: PreprocessOptions.optional(),
    split: ProjectSplit.optional(),
    base: ProjectBase.optional(),
    head: HeadSpec.optional(),
    training: TrainConfig.optional(),
    insightKept: InsightKept.optional(),
  })
  .strict();
export type ProjectPatch = z.output<typeof ProjectPatch>;
export type ProjectPatchInput = z.input<typeof ProjectPatch>;

/** A project as opened: where it is, its content, and anything the user should know (recovery, migration). */
export const ProjectOpened = z.object({
  /** Absolute project folder. */
  dir: z.string(),
  /** Absolute path of project.json. */
  file: z.string(),
  project: ProjectFile,
  /** E.g. "project.json was corrupt; restored revision 4 from project.json.bak". */
  warnings: z.array(z.string()),
});
export type ProjectOpened = z.output<typeof ProjectOpened>;

export const RecentProject = z.object({
  dir: z.string(),
  name: z.string(),
  openedAt: z.iso.datetime(),
  /** False when the folder no longer holds a project.json. */
  exists: z.boolean(),
});
export type RecentProject = z.infer<typeof RecentProject>;

/** Absolute project folder. */
const ProjectDir = z.string().min(1).max(4096);

/** Calls of the project domain (project file, head spec, settings, runs). */
export const projectContract = {
  'project.create': call({
    summary:
      'Creates a project folder (project.json, cache/, runs/) with defaults; refuses a non-empty folder that is not a project.',
    request: z
      .object({
        dir: ProjectDir,
        /** Display name. Default: the folder's name. */
        name: z.string().min(1).max(200).optional(),
      })
      .strict(),
    response: ProjectOpened,
    paths: (request) => [request.dir],
  }),
  'project.open': call({
    summary:
      'Reads and validates a project (migrating older formats, restoring from project.json.bak when corrupt, marking runs of a crashed engine interrupted).',
    request: z
      .object({
        dir: ProjectDir,
        /** Add it to the recent projects list. Default: true. */
        remember: z.boolean().default(true),
      })
      .strict(),
    response: ProjectOpened,
    paths: (request) => [request.dir],
  }),
  'project.update': call({
    summary:
      'Replaces one or more sections of a project (validated, written atomically, previous revision kept in project.json.bak).',
    request: z
      .object({
        dir: ProjectDir,
        patch: ProjectPatch,
        /** Refuse unless the file is still at this revision (what the caller last read). Default: not checked beyond this engine's own view. */
        expectedRevision: z.number().int().min(0).optional(),
      })
      .strict(),
    response: ProjectOpened,
    // The dataset's folders are user paths too: a browser may only point a project at folders under its roots.
    paths: (request) => [request.dir, ...(request.patch.dataset?.sources.map((source) => source.path) ?? [])],
  }),
  'project.recent': call({
    summary: 'Recently opened projects, newest first.',
    request: z.object({}).strict(),
    response: z.object({ projects: z.array(RecentProject) }),
  }),
} as const;
