import type { ClassEdits } from '../../../../shared/dataset/class-resolver';

export type { ClassEdits };

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
  return Object.keys(edits.renames).length === 0 && edits.merges.length === 0 && edits.excluded.length === 0;
}
