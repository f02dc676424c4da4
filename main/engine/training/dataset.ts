/**
 * The run's images: scan the user's folders (data pipeline), split them with the run's seed
 * (validation fraction from the config, no test split), and label them by sorted class name.
 */
import { readdir } from 'node:fs/promises';
import type { DataSource } from '../../../shared/contract/data';
import { StudioError } from '../../../shared/errors';
import type { CacheStore } from '../data/cache';
import { scanDataset } from '../data/scan';
import { splitRecords } from '../data/split';
import type { LabelledImage } from './extract';

export interface LoadedDataset {
  /** Class names, sorted; a label is an index into this. */
  classes: string[];
  train: LabelledImage[];
  validation: LabelledImage[];
  warnings: string[];
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
 * Scans `dirs` and splits the images (seeded, per-image, duplicates kept together).
 * @throws StudioError BAD_INPUT when the scan finds a blocking problem or a class has no validation image.
 */
export async function loadDataset(
  dirs: readonly string[],
  validationFraction: number,
  seed: number,
  cache: CacheStore | undefined,
  signal: AbortSignal,
): Promise<LoadedDataset> {
  const sources = await Promise.all(dirs.map(sourceFor));
  const scan = await scanDataset({ sources }, {}, { signal, ...(cache ? { cache } : {}) });
  if (!scan.summary.canTrain) {
    const blocking = scan.summary.warnings.filter((w) => w.severity === 'blocking').map((w) => w.message);
    throw new StudioError('BAD_INPUT', `These images cannot be trained on: ${blocking.join(' ')}`, { warnings: blocking });
  }
  const split = splitRecords(scan.records, { train: 1 - validationFraction, validation: validationFraction, test: 0 }, seed);
  const classes = [...new Set(split.assignments.map((a) => a.class))].sort();
  const labelOf = new Map(classes.map((name, i) => [name, i]));
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const assignments = [...split.assignments].sort(byPath);
  const toImage = (a: (typeof assignments)[number]): LabelledImage => ({ path: a.path, hash: a.hash, label: labelOf.get(a.class)! });
  const train = assignments.filter((a) => a.split === 'train').map(toImage);
  const validation = assignments.filter((a) => a.split === 'validation').map(toImage);
  const empty = split.perClass.filter((c) => c.validation === 0 || c.train === 0).map((c) => c.name);
  if (empty.length > 0) {
    throw new StudioError(
      'BAD_INPUT',
      `Every class needs training and validation images; these have too few images to split: ${empty.map((n) => JSON.stringify(n)).join(', ')}.`,
      { classes: empty },
    );
  }
  return { classes, train, validation, warnings: split.warnings };
}
