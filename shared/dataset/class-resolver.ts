/**
 * The one rule that turns an original class name (a folder name or a source's className) into its
 * final name: renames first, then merges; a name excluded at any stage is out. The engine resolves
 * files with it and the renderer shows the same classes, so both import it from here.
 */
import type { DatasetSpec } from '../contract/data';

/** How the user reshaped the classes (and single images): the editable part of a {@link DatasetSpec}. */
export type ClassEdits = Pick<DatasetSpec, 'renames' | 'merges' | 'excluded' | 'files'>;

/** Maps an original class name to its final name, or undefined when the class is excluded. */
export function classResolver(edits: ClassEdits): (original: string) => string | undefined {
  const merged = new Map<string, string>();
  for (const merge of edits.merges) for (const from of merge.from) merged.set(from, merge.into);
  const excluded = new Set(edits.excluded);
  return (original) => {
    if (excluded.has(original)) return undefined;
    const renamed = Object.hasOwn(edits.renames, original) ? edits.renames[original]! : original;
    const final = merged.get(renamed) ?? renamed;
    return excluded.has(renamed) || excluded.has(final) ? undefined : final;
  };
}
