import type { ClassEdits } from '../../../../shared/dataset/class-resolver';

export type { ClassEdits };

/** One row of the class table. */
export interface ClassRow {
  /** The final name (after renames and merges). */
  name: string;
  /** Usable images (duplicates counted once); for excluded classes, the count when last seen. */
  count: number;
  excluded: boolean;
  /** Classes merged into this one. */
  mergedFrom: string[];
  /** Original names renamed to this one. */
  renamedFrom: string[];
}

/** No renames, merges or exclusions. */
export const NO_EDITS: ClassEdits = { renames: {}, merges: [], excluded: [] };

/**
 * Renames the class shown as `from` to `to` (renaming onto an existing class merges the two).
 * Every original that ends up as `from` follows, whether it got there by a rename or a merge.
 * @param originals the original class names (folder names), when known. Default: unknown — then
 *   `from` counts as an original unless a rename or merge already produces it.
 */
export function renameClass(edits: ClassEdits, from: string, to: string, originals?: readonly string[]): ClassEdits {
  if (from === to) return edits;
  const renames: Record<string, string> = {};
  for (const [original, name] of Object.entries(edits.renames)) renames[original] = name === from ? to : name;
  const produced = Object.values(edits.renames).includes(from) || edits.merges.some((merge) => merge.into === from);
  const isOriginal = originals ? originals.includes(from) : !produced;
  if (!Object.hasOwn(edits.renames, from) && isOriginal) renames[from] = to;
  for (const [original, name] of Object.entries(renames)) if (original === name) delete renames[original];
  const merges = edits.merges.map((merge) => (merge.into === from ? { ...merge, into: to } : merge));
  return { ...edits, renames, merges };
}

/** Merges the classes shown as `names` into one class called `into` (earlier merges among them fold in). */
export function mergeClasses(edits: ClassEdits, names: readonly string[], into: string): ClassEdits {
  const chosen = new Set(names);
  const from = new Set<string>();
  const merges = [];
  for (const merge of edits.merges) {
    if (chosen.has(merge.into)) for (const name of merge.from) from.add(name);
    else merges.push(merge);
  }
  for (const name of names) from.add(name);
  from.delete(into);
  if (from.size === 0) return edits;
  return { ...edits, merges: [...merges, { into, from: [...from].sort() }] };
}

/** Undoes the merge that made the class `into`. */
export function unmergeClass(edits: ClassEdits, into: string): ClassEdits {
  return { ...edits, merges: edits.merges.filter((merge) => merge.into !== into) };
}

/** Leaves a class out of the dataset (`excluded` true) or takes it back. */
export function excludeClass(edits: ClassEdits, name: string, excluded: boolean): ClassEdits {
  const rest = edits.excluded.filter((existing) => existing !== name);
  return { ...edits, excluded: excluded ? [...rest, name] : rest };
}

/** Where a final class came from: the names merged into it and the original names renamed to it. */
export function originsOf(edits: ClassEdits, name: string): { mergedFrom: string[]; renamedFrom: string[] } {
  const mergedFrom = [...new Set(edits.merges.filter((merge) => merge.into === name).flatMap((merge) => merge.from))]
    .filter((from) => from !== name)
    .sort();
  const renamedFrom = Object.entries(edits.renames)
    .filter(([, to]) => to === name)
    .map(([original]) => original)
    .sort();
  return { mergedFrom, renamedFrom };
}

/** True when the user changed nothing. */
export function isUnedited(edits: ClassEdits): boolean {
  return (
    Object.keys(edits.renames).length === 0 &&
    edits.merges.length === 0 &&
    edits.excluded.length === 0 &&
    imageEditCount(edits) === 0
  );
}

/** Images left out or moved one by one, and label conflicts settled. */
export function imageEditCount(edits: ClassEdits): number {
  const files = edits.files;
  return (
    (files?.excluded.length ?? 0) +
    Object.keys(files?.classes ?? {}).length +
    Object.keys(files?.conflicts ?? {}).length
  );
}

type ImageEditsOf = NonNullable<ClassEdits['files']>;

/** The edits with these single-image edits; without `files` (or `conflicts`) when there are none (the spec stays as before). */
function withFiles(
  edits: ClassEdits,
  excluded: string[],
  classes: Record<string, string>,
  conflicts: ImageEditsOf['conflicts'] = edits.files?.conflicts,
): ClassEdits {
  const { files: _old, ...rest } = edits;
  const picks = conflicts && Object.keys(conflicts).length > 0 ? { conflicts } : {};
  return excluded.length === 0 && Object.keys(classes).length === 0 && !picks.conflicts
    ? rest
    : { ...rest, files: { excluded, classes, ...picks } };
}

/**
 * Settles a label conflict (the same image, by content hash, in two or more classes): keeps it in
 * class `keep`, or in none (null); undefined forgets the pick (undo), so the conflict is open again.
 * Recorded in the dataset edits: no file is moved or deleted.
 */
export function pickConflict(edits: ClassEdits, hash: string, keep: string | null | undefined): ClassEdits {
  const conflicts = { ...edits.files?.conflicts };
  if (keep === undefined) delete conflicts[hash];
  else conflicts[hash] = keep;
  return withFiles(edits, [...(edits.files?.excluded ?? [])], { ...edits.files?.classes }, conflicts);
}

/** Leaves one image (absolute path) out of the dataset, or takes it back; the file itself is never touched. */
export function excludeImage(edits: ClassEdits, file: string, excluded: boolean): ClassEdits {
  const rest = (edits.files?.excluded ?? []).filter((existing) => existing !== file);
  return withFiles(edits, excluded ? [...rest, file] : rest, { ...edits.files?.classes });
}

/**
 * Gives one image (absolute path) the class `to` instead of its folder's, or its folder's again when
 * `to` is undefined; the image is taken back if it was left out. The file is never moved.
 */
export function moveImage(edits: ClassEdits, file: string, to: string | undefined): ClassEdits {
  const classes = { ...edits.files?.classes };
  if (to === undefined) delete classes[file];
  else classes[file] = to;
  return withFiles(
    edits,
    (edits.files?.excluded ?? []).filter((existing) => existing !== file),
    classes,
  );
}
