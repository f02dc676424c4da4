/**
 * A project's last insight: `<projectDir>/insight.json` (an InsightResult), written atomically; read back with
 * `stale` true when the project's images changed since (their data fingerprint differs), or cannot be read now.
 * The fingerprint is of the dataset before single-image edits (ImageEdits): acting on a finding — leaving an
 * image out, moving it to another class — is what the findings are for, and must not make them all stale.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InsightResult } from '../../../shared/contract/insight';
import { StudioError, quote } from '../../../shared/errors';
import { CacheStore } from '../data/cache';
import { writeFileAtomic } from '../fs/atomic-write';
import { parseJsonObject } from '../fs/json-object';
import { fingerprintOf } from '../training/data-fingerprint';
import { loadDataset, type RunSplit } from '../training/dataset';
import type { DatasetSpec } from '../../../shared/contract/data';
import { resolveInspectInputs } from './inspect-inputs';

/** File name of the saved insight inside a project folder. */
export const INSIGHT_FILE = 'insight.json';

/** Writes the insight into the project folder (atomic, durable). */
export async function writeInsight(projectDir: string, result: InsightResult): Promise<void> {
  await writeFileAtomic(path.join(projectDir, INSIGHT_FILE), `${JSON.stringify(result)}\n`);
}

/**
 * The project's last insight with `stale` (see the file comment), or null when it has none.
 * @throws StudioError BAD_INPUT naming the file when it is not a valid insight.
 */
export async function readInsight(
  projectDir: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<(InsightResult & { stale: boolean }) | null> {
  const file = path.join(path.resolve(projectDir), INSIGHT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StudioError('BAD_INPUT', `${quote(file)} cannot be read (${(error as NodeJS.ErrnoException).code}).`, {
      file,
    });
  }
  const parsed = InsightResult.safeParse(parseJsonObject(text, file, 'an insight file'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)} is not a valid insight file: ${issue.path.join('.') || '(file)'}: ${issue.message}.`,
      { file },
    );
  }
  return { ...parsed.data, stale: await isStale(projectDir, parsed.data.fingerprint, signal) };
}

/** True when the project's images now have another fingerprint, or cannot be loaded. */
async function isStale(projectDir: string, fingerprint: string, signal: AbortSignal): Promise<boolean> {
  try {
    const inputs = await resolveInspectInputs({
      projectDir,
      folds: 5,
      seed: 42,
      duplicateSimilarity: 0.97,
      map: false,
    });
    return (
      (await insightFingerprint(inputs.spec, inputs.split, new CacheStore(inputs.cacheRoot), signal)) !== fingerprint
    );
  } catch {
    return true;
  }
}

/** The data fingerprint of a dataset without its single-image edits (see the file comment). */
export async function insightFingerprint(
  spec: DatasetSpec,
  split: RunSplit,
  cache: CacheStore,
  signal: AbortSignal,
): Promise<string> {
  const { files: _edits, ...withoutEdits } = spec;
  return fingerprintOf(await loadDataset(withoutEdits, split, cache, signal)).digest;
}
