/**
 * Brings a run.json written by an older Transfer Studio to {@link RUN_FILE_VERSION}, one step per
 * version, in memory (the file is rewritten in the new version by the next write, e.g. a resume).
 * Also tells a run.json from other JSON files (a package.json, a project.json) before anything else.
 */
import { OLDEST_RUN_FILE_VERSION, RUN_FILE_VERSION } from '../../../shared/contract/run-file';
import { PROJECT_FILE } from '../../../shared/contract/project';
import { StudioError, quote } from '../../../shared/errors';

type Json = Record<string, unknown>;

/**
 * Step `k` turns a version-k object into a version-(k+1) object.
 * 1 → 2: every field keeps its name and meaning; version 2 only adds the optional `evaluation` and
 * `exports` records, which a version-1 run cannot have (no step wrote them yet).
 */
const STEPS: Record<number, (raw: Json) => Json> = {
  1: (raw) => ({ ...raw, version: 2 }),
};

/** The error for a JSON object that is not a run.json at all, with a hint when it is a project.json. */
function foreign(file: string, raw: Json, why: string): StudioError {
  const hint =
    'formatVersion' in raw
      ? ` It looks like a ${PROJECT_FILE}: give the folder of one of the project's runs (runs/<id>/) instead.`
      : '';
  return new StudioError('BAD_INPUT', `${quote(file)} is not a Transfer Studio run file: ${why}.${hint}`, {
    file,
    field: 'version',
    received: raw.version,
  });
}

/**
 * The version of a parsed run.json.
 * @throws StudioError BAD_INPUT when it has no whole-number `version` (not a run file),
 *   UNSUPPORTED when it comes from a newer Transfer Studio.
 */
export function runFileVersionOf(raw: Json, file: string): number {
  if (!('version' in raw)) throw foreign(file, raw, 'it has no "version" field');
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw foreign(file, raw, `"version" must be a whole number, received ${quote(version)}`);
  }
  if (version < OLDEST_RUN_FILE_VERSION) {
    throw foreign(file, raw, `"version" must be ${OLDEST_RUN_FILE_VERSION} or more, received ${quote(version)}`);
  }
  if (version > RUN_FILE_VERSION) {
    throw new StudioError(
      'UNSUPPORTED',
      `${quote(file)} was written by a newer Transfer Studio (run file version ${version}; this version reads versions ` +
        `${OLDEST_RUN_FILE_VERSION} to ${RUN_FILE_VERSION}). Update the app to open this run.`,
      { file, field: 'version', received: version },
    );
  }
  if (!('request' in raw)) throw foreign(file, raw, 'it has no "request" field');
  return version;
}

/**
 * Brings `raw` to {@link RUN_FILE_VERSION}; returns it unchanged when it is current. The result is
 * not yet checked against the schema (run-file.ts does that, naming the field).
 */
export function migrateRunFile(raw: Json, file: string): { raw: Json; from: number } {
  const from = runFileVersionOf(raw, file);
  let current = raw;
  for (let version = from; version < RUN_FILE_VERSION; version++) current = STEPS[version]!(current);
  return { raw: current, from };
}
