/**
 * The measured speed of each base on this machine, kept in the app cache (`<cache>/speeds.json`): feature
 * extraction images/s per engine (ONNX Runtime, tfjs), fine-tuning images/s (tfjs) and head-training rows/s.
 * Every real run updates it with its own figures (training/run-speeds.ts); a quick probe fills what is missing
 * (speed-probe.ts). Written atomically; a file that cannot be read is ignored with a notice and rebuilt.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BaseSpeed, type SpeedFigure } from '../../../../shared/contract/models';
import { quote } from '../../../../shared/errors';
import { cacheDir } from '../../app-paths';
import { writeFileAtomic } from '../../fs/atomic-write';

/** The store's format version. */
export const SPEED_STORE_VERSION = 1;

const SpeedStoreFile = z
  .object({
    version: z.literal(SPEED_STORE_VERSION),
    bases: z.record(z.string(), BaseSpeed),
  })
  .strict();

/** Which figure of a base a measurement is. */
export type SpeedKind = 'extract.onnxruntime' | 'extract.tfjs' | 'fineTune' | 'headRows';

/** What {@link readSpeeds} found. */
export interface SpeedsRead {
  /** Base id → its figures. */
  speeds: Record<string, BaseSpeed>;
  /** Why the file was ignored, in plain words (it is rebuilt by the next measurement). Default: none. */
  notice?: string;
}

/**
 * The store's file.
 * @param root Default: the app cache folder (`cacheDir()` of app-paths).
 */
export function speedStoreFile(root: string = cacheDir()): string {
  return path.join(root, 'speeds.json');
}

/**
 * Reads the store: empty when there is none; ignored with a notice when it is damaged or of another version.
 * @param file Default: {@link speedStoreFile}().
 */
export async function readSpeeds(file: string = speedStoreFile()): Promise<SpeedsRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { speeds: {} };
    return { speeds: {}, notice: notice(file, (error as Error).message) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { speeds: {}, notice: notice(file, `it is not valid JSON (${(error as Error).message})`) };
  }
  const parsed = SpeedStoreFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { speeds: {}, notice: notice(file, `${issue.path.join('.') || '(file)'}: ${issue.message}`) };
  }
  return { speeds: parsed.data.bases };
}

function notice(file: string, why: string): string {
  return `The measured speeds in ${quote(file)} could not be read (${why}); they are ignored and will be measured again.`;
}

/** Writes in this process one after another, so no update is lost. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Records one figure of a base (replacing the previous one of that kind), atomically.
 * @param file Default: {@link speedStoreFile}().
 * @param now Default: the current time.
 */
export function recordSpeed(
  base: string,
  kind: SpeedKind,
  perSecond: number,
  from: SpeedFigure['from'],
  file: string = speedStoreFile(),
  now: Date = new Date(),
): Promise<void> {
  const write = queue.then(async () => {
    if (!Number.isFinite(perSecond) || perSecond <= 0) return;
    const { speeds } = await readSpeeds(file);
    const figure: SpeedFigure = { perSecond, from, at: now.toISOString() };
    const entry: BaseSpeed = { ...speeds[base] };
    if (kind === 'extract.onnxruntime') entry.extract = { ...entry.extract, onnxruntime: figure };
    else if (kind === 'extract.tfjs') entry.extract = { ...entry.extract, tfjs: figure };
    else entry[kind] = figure;
    const next = { version: SPEED_STORE_VERSION, bases: { ...speeds, [base]: entry } };
    // Derived data: atomic, but no fsync (a lost figure is measured again).
    await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, { createFolder: true, durable: false });
  });
  queue = write.catch(() => undefined);
  return write;
}
