/**
 * The run's images: scan the dataset exactly as the Data step does (sources, renames, merges,
 * exclusions → scanDataset), split them with the run's fractions and seed (the Data step's split,
 * small classes guaranteed a validation image), hold the test images out, and label the rest by
 * sorted class name.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DatasetSpec as DatasetSpecSchema, type DataSource, type DatasetSpec } from '../../../shared/contract/data';
import type { SkippedFile, TrainConfig, TrainRequest } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import type { CacheStore } from '../data/cache';
import { scanDataset } from '../data/scan';
import { splitRecords, type SplitAssignment } from '../data/split';
import type { LabelledImage } from './extract';

/** Fractions and seed of a run's split. */
export interface RunSplit {
  train: number;
  validation: number;
  test: number;
  seed: number;
}

export interface LoadedDataset {
  /** Class names, sorted; a label is an index into this. */
  classes: string[];
  train: LabelledImage[];
  validation: LabelledImage[];
  /** Held out of training and validation (for the Evaluate step). */
  test: LabelledImage[];
  warnings: string[];
  /** Files left out by the scan (problems of severity 'error'), with their kind and plain words. */
  skipped: SkippedFile[];
}

/**
 * A folder with sub-folders is a parent of class folders; a folder of images only is one class
 * (named after the folder).
 */
export async function sourceFor(dir: string): Promise<DataSource> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new StudioError('NOT_FOUND', `Cannot read the folder ${JSON.stringify(dir)}.`, { path: dir });
  }
  return { path: dir, mode: entries.some((e) => e.isDirectory() && !e.name.startsWith('.')) ? 'parent' : 'class' };
}

/**
 * The dataset spec of a request: `dataset` when given (wins), else one source per folder of `dirs`
 * (mode guessed by {@link sourceFor}). Source paths are made absolute.
 * @throws StudioError BAD_INPUT when neither is given.
 */
export async function datasetSpecOf(request: Pick<TrainRequest, 'dataset' | 'dirs'>): Promise<DatasetSpec> {
  if (request.dataset) {
    const spec = DatasetSpecSchema.parse(request.dataset);
    return { ...spec, sources: spec.sources.map((source) => ({ ...source, path: path.resolve(source.path) })) };
  }
  if (!request.dirs || request.dirs.length === 0) {
    throw new StudioError(
      'BAD_INPUT',
      "Give the images to train on: `dataset` (the Data step's sources and class edits) or `dirs` (image folders); neither was given.",
    );
  }
  const sources = await Promise.all(request.dirs.map((dir) => sourceFor(path.resolve(dir))));
  return DatasetSpecSchema.parse({ sources });
}

/** The split of a request: `split` (seed defaulting to the config's), else validationSplit of the config and no test. */
export function runSplitOf(
  split: TrainRequest['split'],
  config: Pick<TrainConfig, 'validationSplit' | 'seed'>,
): RunSplit {
  if (split)
    return { train: split.train, validation: split.validation, test: split.test, seed: split.seed ?? config.seed };
  return { train: 1 - config.validationSplit, validation: config.validationSplit, test: 0, seed: config.seed };
}

/**
 * Scans the dataset (same scan and class edits as the Data step) and splits it: each image by its
 * content hash, duplicates kept together, every class of ≥ 2 images with a training and a
 * validation image (see splitRecords). Test images are returned apart and never trained on.
 * @throws StudioError BAD_INPUT when the scan finds a blocking problem or a class cannot be split.
 */
export async function loadDataset(
  spec: DatasetSpec,
  split: RunSplit,
  cache: CacheStore | undefined,
  signal: AbortSignal,
): Promise<LoadedDataset> {
  const scan = await scanDataset(spec, {}, { signal, ...(cache ? { cache } : {}) });
  if (!scan.summary.canTrain) {
    const blocking = scan.summary.warnings.filter((w) => w.severity === 'blocking').map((w) => w.message);
    throw new StudioError('BAD_INPUT', `These images cannot be trained on: ${blocking.join(' ')}`, {
      warnings: blocking,
    });
  }
  const result = splitRecords(
    scan.records,
    { train: split.train, validation: split.validation, test: split.test },
    split.seed,
  );
  const classes = [...new Set(result.assignments.map((a) => a.class))].sort();
  const labelOf = new Map(classes.map((name, i) => [name, i]));
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const assignments = [...result.assignments].sort(byPath);
  const toImage = (a: SplitAssignment): LabelledImage => ({ path: a.path, hash: a.hash, label: labelOf.get(a.class)! });
  const of = (name: SplitAssignment['split']) => assignments.filter((a) => a.split === name).map(toImage);
  const empty = result.perClass.filter((c) => c.validation === 0 || c.train === 0).map((c) => c.name);
  if (empty.length > 0) {
    throw new StudioError(
      'BAD_INPUT',
      `Every class needs training and validation images; these have too few images to split: ${empty.map((n) => JSON.stringify(n)).join(', ')}.`,
      { classes: empty },
    );
  }
  // Left: classes too small for a test image (train and validation are guaranteed above).
  const skipped = scan.problems
    .filter((p) => p.severity === 'error')
    .map(({ path: file, kind, message }) => ({ path: file, kind, message }));
  return {
    classes,
    train: of('train'),
    validation: of('validation'),
    test: of('test'),
    warnings: result.warnings,
    skipped,
  };
}
