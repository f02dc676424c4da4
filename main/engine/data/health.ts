import type { DatasetWarning, DuplicateGroup, ImageRecord, Problem } from '../../../shared/contract/data';
import type { FileFacts } from './inspect';

/** Largest/smallest class ratio above which the dataset is called imbalanced. */
export const IMBALANCE_RATIO = 3;
/** Classes with fewer images get a warning. */
export const FEW_IMAGES = 10;
/** Classes with fewer images block training. */
export const MIN_IMAGES = 2;

/** The problems of one file: its error (file left out), its warnings, and 'tiny' below minSide. */
export function fileProblems(path: string, cls: string | undefined, facts: FileFacts, minSide: number): Problem[] {
  const withClass = cls === undefined ? {} : { class: cls };
  const problems: Problem[] = [];
  if (facts.error) problems.push({ path, ...facts.error, severity: 'error', ...withClass });
  for (const warning of facts.warnings) problems.push({ path, ...warning, severity: 'warning', ...withClass });
  if (!facts.error && facts.width !== undefined && facts.height !== undefined) {
    const side = Math.min(facts.width, facts.height);
    if (side < minSide) {
      problems.push({
        path,
        kind: 'tiny',
        severity: 'warning',
        message: `${JSON.stringify(path)} is only ${facts.width}×${facts.height} pixels (less than ${minSide} on a side); it will be enlarged and look blurry.`,
        ...withClass,
      });
    }
  }
  return problems;
}

/**
 * Groups records with identical bytes. Copies within one class are 'duplicate' (later copies are
 * marked `duplicate` and left out of splits); copies across classes are a 'label-conflict': every
 * copy is marked `duplicate`, so the image is in neither class (not counted, not split, not trained)
 * until the user keeps it in one. So the report, `canTrain` and training agree.
 * A conflict the user picked for (`picks`, by content hash) is a 'resolved-conflict': the first copy
 * in the kept class is used, every other copy is left out (all of them when the pick is null). A pick
 * naming a class the image is not in (renamed since) leaves the conflict open.
 * Mutates `records[i].duplicate`.
 * @param picks content hash → class kept in, or null for none (ImageEdits.conflicts). Default: none.
 */
export function findDuplicates(
  records: ImageRecord[],
  picks: Readonly<Record<string, string | null>> = {},
): DuplicateGroup[] {
  const byHash = new Map<string, ImageRecord[]>();
  for (const record of records) {
    const group = byHash.get(record.hash);
    if (group) group.push(record);
    else byHash.set(record.hash, [record]);
  }
  const groups: DuplicateGroup[] = [];
  for (const [hash, group] of byHash) {
    if (group.length < 2) continue;
    const seen = new Set<string>();
    for (const record of group) {
      record.duplicate = seen.has(record.class);
      seen.add(record.class);
    }
    const classes = [...seen].sort();
    const paths = group.map((record) => record.path);
    const listed = listPaths(paths);
    if (classes.length === 1) {
      groups.push({
        kind: 'duplicate',
        hash,
        paths,
        classes,
        message: `${paths.length} identical copies in class ${JSON.stringify(classes[0])}: ${listed}; only one is used.`,
      });
      continue;
    }
    const quoted = classes.map((c) => JSON.stringify(c)).join(' and ');
    const pick = Object.hasOwn(picks, hash) ? picks[hash]! : undefined;
    if (pick === null || (pick !== undefined && classes.includes(pick))) {
      for (const record of group) if (record.class !== pick) record.duplicate = true;
      groups.push({
        kind: 'resolved-conflict',
        hash,
        paths,
        classes,
        kept: pick,
        message:
          pick === null
            ? `The same image, labelled ${quoted}, is left out of every class (your choice): ${listed}.`
            : `The same image, labelled ${quoted}, is kept in ${JSON.stringify(pick)} only (your choice): ${listed}.`,
      });
      continue;
    }
    for (const record of group) record.duplicate = true;
    groups.push({
      kind: 'label-conflict',
      hash,
      paths,
      classes,
      message: `The same image is labelled ${quoted}: ${listed}. It is left out of every class until you keep it in one.`,
    });
  }
  return groups;
}

/** Up to five quoted paths, then "and N more" (the full list is in `paths`). */
function listPaths(paths: string[]): string {
  const shown = paths
    .slice(0, 5)
    .map((p) => JSON.stringify(p))
    .join(', ');
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}

/** Dataset-level findings from per-class image counts (duplicates already left out). */
export function datasetWarnings(counts: { name: string; count: number }[]): DatasetWarning[] {
  const warnings: DatasetWarning[] = [];
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) {
    warnings.push({ kind: 'no-images', severity: 'blocking', message: 'No usable images were found.' });
    return warnings;
  }
  if (counts.length === 1) {
    warnings.push({
      kind: 'one-class',
      severity: 'blocking',
      message: `Only one class (${JSON.stringify(counts[0]!.name)}) was found; a classifier needs at least two.`,
      class: counts[0]!.name,
    });
  }
  for (const { name, count } of counts) {
    if (count < MIN_IMAGES) {
      warnings.push({
        kind: 'too-few-images',
        severity: 'blocking',
        message: `Class ${JSON.stringify(name)} has ${count} image${count === 1 ? '' : 's'}; at least ${MIN_IMAGES} are needed to train.`,
        class: name,
      });
    } else if (count < FEW_IMAGES) {
      warnings.push({
        kind: 'few-images',
        severity: 'warning',
        message: `Class ${JSON.stringify(name)} has only ${count} images; ${FEW_IMAGES} or more give much better results.`,
        class: name,
      });
    }
  }
  const nonEmpty = counts.filter((c) => c.count > 0);
  if (nonEmpty.length >= 2) {
    const largest = nonEmpty.reduce((a, b) => (b.count > a.count ? b : a));
    const smallest = nonEmpty.reduce((a, b) => (b.count < a.count ? b : a));
    const ratio = largest.count / smallest.count;
    if (ratio > IMBALANCE_RATIO) {
      warnings.push({
        kind: 'imbalance',
        severity: 'warning',
        message: `Classes are imbalanced: ${JSON.stringify(largest.name)} has ${largest.count} images, ${JSON.stringify(smallest.name)} only ${smallest.count} (${ratio.toFixed(1)}×). The model may favour the larger class.`,
      });
    }
  }
  return warnings;
}
