/**
 * Upgrades project files written by older versions to {@link PROJECT_FORMAT_VERSION}, one step per
 * version. Version 0 is the unversioned draft shape (hand-written or from early builds): no
 * `formatVersion`, `revision` or `runs`; `base` may be a plain id string with `freeze` beside it.
 */
import path from 'node:path';
import { PROJECT_FORMAT_VERSION } from '../../../shared/contract/project';
import { StudioError, quote } from '../../../shared/errors';

type Json = Record<string, unknown>;

/** Step `k` turns a version-k object into a version-(k+1) object. */
const STEPS: Record<number, (raw: Json, context: { file: string; now: string }) => Json> = {
  0: (raw, { file, now }) => {
    const { freeze, base, ...rest } = raw;
    const migrated: Json = {
      ...rest,
      formatVersion: 1,
      revision: 0,
      name: typeof raw.name === 'string' && raw.name ? raw.name : path.basename(path.dirname(file)),
      createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : now,
      updatedAt: typeof raw.updatedAt === 'string' ? raw.updatedAt : now,
    };
    if (typeof base === 'string') migrated.base = freeze === undefined ? { id: base } : { id: base, freeze };
    else if (base !== undefined) migrated.base = freeze === undefined ? base : { ...(base as Json), freeze };
    else if (freeze !== undefined) migrated.base = { freeze };
    return migrated;
  },
};

/** The format version of a parsed file (0 when it has none). */
export function formatVersionOf(raw: Json, file: string): number {
  const version = raw.formatVersion ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)}: formatVersion must be a whole number, received ${quote(version)}.`,
      {
        file,
        field: 'formatVersion',
      },
    );
  }
  return version;
}

/**
 * Brings `raw` to the current format. Returns it unchanged when it is current.
 * @throws StudioError UNSUPPORTED when the file comes from a newer Transfer Studio.
 */
export function migrateProject(raw: Json, file: string, now = new Date().toISOString()): { raw: Json; from: number } {
  const from = formatVersionOf(raw, file);
  if (from > PROJECT_FORMAT_VERSION) {
    throw new StudioError(
      'UNSUPPORTED',
      `${quote(file)} was written by a newer Transfer Studio (project format ${from}; this version reads up to ${PROJECT_FORMAT_VERSION}). Update the app to open it.`,
      { file, field: 'formatVersion', received: from },
    );
  }
  let current = raw;
  for (let version = from; version < PROJECT_FORMAT_VERSION; version++) {
    current = STEPS[version]!(current, { file, now });
  }
  return { raw: current, from };
}
