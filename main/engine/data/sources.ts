import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource, DatasetSpec } from '../../../shared/contract/data';
import { classResolver } from '../../../shared/dataset/class-resolver';
import { isJunkName, walkFiles, type WalkIssue, type WalkOptions } from './walk';
import { looksLikeImageName } from './sniff';

/** A file that belongs to a class (after renames, merges and exclusions). */
export interface SourceFile {
  path: string;
  /** Final class name. */
  class: string;
  size: number;
  mtimeMs: number;
}

export interface SourceIssue extends Omit<WalkIssue, 'reason'> {
  reason: WalkIssue['reason'] | 'outside-class';
}

/** The original class name of a source of mode 'class'. */
export function sourceClassName(source: DataSource): string {
  return source.className ?? (path.basename(path.resolve(source.path)) || source.path);
}

/**
 * Streams every file of every source with its final class. In 'parent' mode the first path
 * segment under the source is the class (deeper files belong to it) and loose files directly in
 * the parent are reported as 'outside-class'. Excluded classes are skipped without reading them.
 * Single-image edits (`spec.files`) then leave an image out or give it another class.
 */
export async function* sourceFiles(
  spec: DatasetSpec,
  options: WalkOptions & { onIssue?: (issue: SourceIssue) => void } = {},
): AsyncGenerator<SourceFile> {
  const resolve = classResolver(spec);
  const excludedFiles = new Set((spec.files?.excluded ?? []).map((file) => path.resolve(file)));
  const movedFiles = new Map(Object.entries(spec.files?.classes ?? {}).map(([file, cls]) => [path.resolve(file), cls]));
  for await (const file of classFiles(spec, resolve, options)) {
    if (excludedFiles.has(file.path)) continue;
    yield { ...file, class: movedFiles.get(file.path) ?? file.class };
  }
}

async function* classFiles(
  spec: DatasetSpec,
  resolve: (original: string) => string | undefined,
  options: WalkOptions & { onIssue?: (issue: SourceIssue) => void },
): AsyncGenerator<SourceFile> {
  for (const source of spec.sources) {
    const root = path.resolve(source.path);
    if (source.mode === 'class') {
      const cls = resolve(sourceClassName(source));
      if (cls === undefined) continue;
      for await (const file of walkFiles(root, options)) yield { ...file, class: cls };
      continue;
    }
    for await (const file of walkFiles(root, options)) {
      const relative = path.relative(root, file.path);
      const top = relative.split(path.sep)[0]!;
      if (top === relative) {
        options.onIssue?.({
          path: file.path,
          reason: 'outside-class',
          message: `Skipped ${JSON.stringify(file.path)}: it sits directly in the parent folder, not in a class sub-folder.`,
        });
        continue;
      }
      const cls = resolve(top);
      if (cls === undefined) continue;
      yield { ...file, class: cls };
    }
  }
}

/**
 * Guesses how a dropped folder is organised: 'class' when it holds images directly and no
 * sub-folders, 'parent' otherwise.
 */
export async function detectSourceMode(dir: string): Promise<'parent' | 'class'> {
  const entries = await readdir(dir, { withFileTypes: true });
  const visible = entries.filter((entry) => !isJunkName(entry.name));
  const hasDirs = visible.some((entry) => entry.isDirectory() || entry.isSymbolicLink());
  const hasImages = visible.some((entry) => entry.isFile() && looksLikeImageName(entry.name));
  return hasImages && !hasDirs ? 'class' : 'parent';
}
