/**
 * What a run trained on, kept in run.json (`data`), and the check a resume makes against it: the
 * images must be the ones the run started with, or the history would mix two validation sets.
 */
import { createHash } from 'node:crypto';
import type { DataFingerprint, SplitClassCount } from '../../../shared/contract/run-file';
import { StudioError } from '../../../shared/errors';
import type { LoadedDataset } from './dataset';

const SPLITS = ['train', 'validation', 'test'] as const;

/** Per-class counts per split and a digest over (split, class, content hash, path) of every image, sorted. */
export function fingerprintOf(data: Pick<LoadedDataset, 'classes' | 'train' | 'validation' | 'test'>): DataFingerprint {
  const classes: SplitClassCount[] = data.classes.map((name) => ({ name, train: 0, validation: 0, test: 0 }));
  const lines: string[] = [];
  for (const split of SPLITS) {
    for (const image of data[split]) {
      const cls = classes[image.label]!;
      cls[split]++;
      lines.push(`${split}\t${cls.name}\t${image.hash}\t${image.path}`);
    }
  }
  lines.sort();
  const digest = createHash('sha256').update(lines.join('\n')).digest('hex');
  return { classes, digest };
}

/**
 * What differs between the recorded and the current images, in plain words, one entry per class (or one
 * saying the files differ with the same counts); empty when they are the same.
 */
export function dataChanges(recorded: DataFingerprint, current: DataFingerprint): string[] {
  if (recorded.digest === current.digest) return [];
  const changes: string[] = [];
  const before = new Map(recorded.classes.map((c) => [c.name, c]));
  const after = new Map(current.classes.map((c) => [c.name, c]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const zero = { train: 0, validation: 0, test: 0 };
  for (const name of names) {
    const was = before.get(name);
    const now = after.get(name);
    const parts = SPLITS.filter((split) => (was ?? zero)[split] !== (now ?? zero)[split]).map(
      (split) => `${split} ${(was ?? zero)[split]} → ${(now ?? zero)[split]}`,
    );
    if (!was) changes.push(`new class ${JSON.stringify(name)} (${parts.join(', ')})`);
    else if (!now) changes.push(`class ${JSON.stringify(name)} is gone (${parts.join(', ')})`);
    else if (parts.length > 0) changes.push(`${JSON.stringify(name)}: ${parts.join(', ')}`);
  }
  if (changes.length === 0)
    changes.push('the same number of images per class and split, but some files were replaced, edited or moved');
  return changes;
}

/**
 * The check a resume makes. Runs recorded before `data` was kept cannot be checked (returns no changes).
 * @throws StudioError CONFLICT naming what changed (per class and split) unless `allowChangedData`.
 * @returns the changes accepted (empty when nothing changed).
 */
export function checkResumeData(
  runDir: string,
  recorded: DataFingerprint | undefined,
  current: DataFingerprint,
  allowChangedData: boolean,
): string[] {
  if (!recorded) return [];
  const changes = dataChanges(recorded, current);
  if (changes.length === 0 || allowChangedData) return changes;
  throw new StudioError(
    'CONFLICT',
    `The images changed since the run in ${JSON.stringify(runDir)} started: ${changes.join('; ')}. ` +
      'It was not resumed. Start a new run, restore the images, or resume anyway with ' +
      '`train --resume <dir> --allow-changed-data` (the history will then mix two validation sets).',
    { runDir, changes, dataChanged: true },
  );
}
