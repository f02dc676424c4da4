/**
 * The images of a labelled folder to evaluate: one sub-folder per class, scanned as the Data step scans
 * (content hashes, unreadable files reported), class names matched to the run's classes.
 */
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { scanDataset } from '../data/scan';

/** An image with its label (index into the run's classes) and content hash. */
export interface LabelledFile {
  path: string;
  hash: string;
  label: number;
}

/**
 * Scans `dir` (sub-folders = classes) and labels its images with the run's `classes`.
 * @throws StudioError BAD_INPUT naming every sub-folder that is not one of the run's classes (and listing those),
 *   or when the folder holds no class folders.
 */
export async function labelledFolder(
  dir: string,
  classes: readonly string[],
  signal?: AbortSignal,
): Promise<{ images: LabelledFile[]; failed: { path: string; error: string }[] }> {
  const root = path.resolve(dir);
  const scan = await scanDataset(
    { sources: [{ path: root, mode: 'parent' }] },
    { decode: false },
    signal ? { signal } : {},
  );
  const labelOf = new Map(classes.map((name, i) => [name, i]));
  const found = [...new Set(scan.records.map((r) => r.class))].sort();
  const unknown = found.filter((name) => !labelOf.has(name));
  if (unknown.length > 0) {
    throw new StudioError(
      'BAD_INPUT',
      `${JSON.stringify(root)} has class folders the run does not know: ${unknown.map((n) => JSON.stringify(n)).join(', ')}. ` +
        `The run's classes are ${classes.map((n) => JSON.stringify(n)).join(', ')}; rename or remove those folders.`,
      { field: 'dataDir', received: unknown, classes },
    );
  }
  if (found.length === 0) {
    throw new StudioError(
      'BAD_INPUT',
      `${JSON.stringify(root)} has no class folders with images (expected one sub-folder per class).`,
      {
        field: 'dataDir',
        received: root,
      },
    );
  }
  const images = scan.records
    .filter((r) => !r.duplicate)
    .map((r) => ({ path: r.path, hash: r.hash, label: labelOf.get(r.class)! }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const failed = scan.problems.filter((p) => p.severity === 'error').map((p) => ({ path: p.path, error: p.message }));
  return { images, failed };
}
