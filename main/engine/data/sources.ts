import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { PROJECT_FILE } from '../../../shared/contract/project';
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
  reason: WalkIssue['reason'] | 'outside-class' | 'empty-class';
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
 * A file reached twice (the same folder given twice, or a class folder inside a parent also given)
 * is yielded once, and reported once; a class folder without any file is reported as 'empty-class'.
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
  const yielded = new Set<string>();
  const reported = new Set<string>();
  const report = (issue: SourceIssue) => {
    const key = `${issue.reason}\0${issue.path}`;
    if (reported.has(key)) return;
    reported.add(key);
    options.onIssue?.(issue);
  };
  const walkOptions: WalkOptions = { ...options, onIssue: report };
  const emptyClass = (dir: string, name: string) =>
    report({
      path: dir,
      reason: 'empty-class',
      message: `The class folder ${JSON.stringify(dir)} (class ${JSON.stringify(name)}) holds no files; it is left out.`,
    });
  for (const source of spec.sources) {
    const root = path.resolve(source.path);
    if (source.mode === 'class') {
      const cls = resolve(sourceClassName(source));
      if (cls === undefined) continue;
      let files = 0;
      for await (const file of walkFiles(root, walkOptions)) {
        files++;
        if (yielded.has(file.path)) continue;
        yielded.add(file.path);
        yield { ...file, class: cls };
      }
      if (files === 0 && (await isDirectory(root))) emptyClass(root, cls);
      continue;
    }
    const filesPerTop = new Map<string, number>((await classFolders(root)).map((name) => [name, 0]));
    for await (const file of walkFiles(root, walkOptions)) {
      const relative = path.relative(root, file.path);
      const top = relative.split(path.sep)[0]!;
      if (top === relative) {
        report({
          path: file.path,
          reason: 'outside-class',
          message: `Skipped ${JSON.stringify(file.path)}: it sits directly in the parent folder, not in a class sub-folder.`,
        });
        continue;
      }
      filesPerTop.set(top, (filesPerTop.get(top) ?? 0) + 1);
      const cls = resolve(top);
      if (cls === undefined) continue;
      if (yielded.has(file.path)) continue;
      yielded.add(file.path);
      yield { ...file, class: cls };
    }
    for (const [top, files] of filesPerTop) {
      const cls = resolve(top);
      if (files === 0 && cls !== undefined) emptyClass(path.join(root, top), cls);
    }
  }
}

/** The visible sub-folders of a parent folder (links to folders included); none when it cannot be read. */
async function classFolders(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    const names: string[] = [];
    for (const entry of entries) {
      if (isJunkName(entry.name)) continue;
      const full = path.join(root, entry.name);
      if (!(entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(full))))) continue;
      if (existsSync(path.join(full, PROJECT_FILE))) continue; // a project kept beside the images
      names.push(entry.name);
    }
    return names;
  } catch {
    return [];
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
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
