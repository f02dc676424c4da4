/**
 * run.json on real files in a temp folder: a version-1 file reads as version 2 with every field kept,
 * bad files (corrupt, foreign, wrong field type, newer version) fail with errors naming the file and
 * the field, and write → read round-trips.
 */
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_FILE_VERSION } from '../../../../../shared/contract/run-file';
import { newProject } from '../../../../../main/engine/project/store';
import { readRunState, writeRunState, type RunState } from '../../../../../main/engine/run-folder/run-file';

const V1_FIXTURE = path.join(__dirname, '../../../../fixtures/run-folder/run-v1.json');
const root = mkdtempSync(path.join(os.tmpdir(), 'ts-run-file-'));
let counter = 0;

/** A new run folder holding `content` as run.json (a string as is, anything else as JSON). */
async function runFolderWith(content: unknown): Promise<{ dir: string; file: string }> {
  const dir = path.join(root, `run${++counter}`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'run.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { dir, file };
}

async function v1(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(V1_FIXTURE, 'utf8')) as Record<string, unknown>;
}

describe('run.json: migration from version 1', () => {
  it('reads a version-1 file as the current version, keeping every field', async () => {
    const original = await v1();
    const { dir } = await runFolderWith(original);
    const state = await readRunState(dir);
    expect(RUN_FILE_VERSION).toBe(2);
    expect(state.version).toBe(2);
    // Every version-1 field, nested values included, is there unchanged (JSON's null loss reads as NaN).
    const history = (original.history as Record<string, unknown>[]).map((epoch) => ({
      ...epoch,
      loss: epoch.loss ?? Number.NaN,
    }));
    expect(state).toEqual({ ...original, version: 2, history });
    expect(Object.keys(state).sort()).toEqual(Object.keys(original).sort());
    expect(Number.isNaN(state.history[2]!.loss)).toBe(true);
    expect(state.request.head).toBe('dense:64:relu,dropout:0.3');
    expect(state.test!.images[1]).toEqual({
      path: '/home/ada/photos/pets/dog/d7.png',
      hash: expect.stringMatching(/^6030/),
      label: 1,
    });
    expect(state.best).toMatchObject({ folder: 'best-1', epoch: 1, phase: 'head', wait: 1 });
    expect(state.evaluation).toBeUndefined();
    expect(state.exports).toBeUndefined();
  });

  it('reads the minimal version-1 file a run writes before its first epoch', async () => {
    const original = await v1();
    for (const key of ['checkpoint', 'best', 'fineTuneStartEpoch', 'error', 'test', 'project']) delete original[key];
    Object.assign(original, { status: 'running', classes: [], history: [], headDone: false, durationMs: 0 });
    const { dir } = await runFolderWith(original);
    expect(await readRunState(dir)).toEqual({ ...original, version: 2 });
  });

  it('does not rewrite the file when reading; the next write stores version 2', async () => {
    const { dir, file } = await runFolderWith(await v1());
    const before = await readFile(file, 'utf8');
    const state = await readRunState(dir);
    expect(await readFile(file, 'utf8')).toBe(before);
    await writeRunState(dir, state);
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written.version).toBe(2);
    expect(written.history).toHaveLength(3);
    expect(await readRunState(dir)).toEqual(state);
  });
});

describe('run.json: files that are not usable fail with a clear error', () => {
  it('a missing run.json: NOT_FOUND naming the folder', async () => {
    const dir = path.join(root, 'empty-run');
    await mkdir(dir);
    await expect(readRunState(dir)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `No run found in "${dir}" (it has no run.json).`,
    });
  });

  it('corrupt JSON: names the file and says it is not valid JSON', async () => {
    const text = (await readFile(V1_FIXTURE, 'utf8')).slice(0, 300);
    const { dir, file } = await runFolderWith(text);
    await expect(readRunState(dir)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(
        new RegExp(`^"${file}" cannot be read as a run file: it is not valid JSON \\(.+\\)\\.$`),
      ),
    });
  });

  it('an empty file and a JSON that is not an object', async () => {
    const empty = await runFolderWith('  \n');
    await expect(readRunState(empty.dir)).rejects.toThrow(`"${empty.file}" cannot be read as a run file: it is empty.`);
    const list = await runFolderWith([1, 2]);
    await expect(readRunState(list.dir)).rejects.toThrow(
      `"${list.file}" is not a run file: expected a JSON object, received [1,2].`,
    );
  });

  it('a package.json: not a run file, quoting its version', async () => {
    const packageJson = await readFile(path.join(__dirname, '../../../../../package.json'), 'utf8');
    const { dir, file } = await runFolderWith(packageJson);
    const version = (JSON.parse(packageJson) as { version: string }).version;
    await expect(readRunState(dir)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `"${file}" is not a Transfer Studio run file: "version" must be a whole number, received "${version}".`,
      details: { file, field: 'version', received: version },
    });
  });

  it('a project.json: not a run file, with a hint to give a run folder', async () => {
    const { dir, file } = await runFolderWith(newProject('Pets'));
    await expect(readRunState(dir)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message:
        `"${file}" is not a Transfer Studio run file: it has no "version" field. ` +
        "It looks like a project.json: give the folder of one of the project's runs (runs/<id>/) instead.",
    });
  });

  it('a JSON object with a version but no request: not a run file', async () => {
    const { dir, file } = await runFolderWith({ version: 1, name: 'something else' });
    await expect(readRunState(dir)).rejects.toThrow(
      `"${file}" is not a Transfer Studio run file: it has no "request" field.`,
    );
  });

  it('fields of the wrong type: names each field path and quotes the value received', async () => {
    const raw = await v1();
    (raw.history as Record<string, unknown>[])[1]!.valLoss = '0.65';
    ((raw.request as Record<string, unknown>).config as Record<string, unknown>).batchSize = 0;
    (raw.checkpoint as Record<string, unknown>).folder = '../../elsewhere';
    const { dir, file } = await runFolderWith(raw);
    const error = (await readRunState(dir).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; message: string; details: { issues: { field: string }[] } };
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(new RegExp(`^"${file}" is not a valid run file: `));
    expect(error.message).toContain('history.1.valLoss: expected a number, received "0.65"');
    expect(error.message).toMatch(/request\.config\.batchSize: [^;]*>=1[^;]*, received 0/);
    expect(error.message).toContain('checkpoint.folder: expected a name inside the run folder');
    expect(error.message).toContain('received "../../elsewhere"');
    expect(error.details.issues.map((issue) => issue.field).sort()).toEqual([
      'checkpoint.folder',
      'history.1.valLoss',
      'request.config.batchSize',
    ]);
  });

  it('an unknown field: named', async () => {
    const { dir } = await runFolderWith({ ...(await v1()), colour: 'blue' });
    await expect(readRunState(dir)).rejects.toThrow(/is not a valid run file: \(file\): Unrecognized key: "colour"/);
  });

  it('a newer version: UNSUPPORTED, saying which versions this app reads', async () => {
    const { dir, file } = await runFolderWith({ ...(await v1()), version: 3, somethingNew: true });
    await expect(readRunState(dir)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: `"${file}" was written by a newer Transfer Studio (run file version 3; this version reads versions 1 to 2). Update the app to open this run.`,
    });
  });

  it('version 0 or a fractional version: not a run file', async () => {
    const zero = await runFolderWith({ ...(await v1()), version: 0 });
    await expect(readRunState(zero.dir)).rejects.toThrow('"version" must be 1 or more, received 0.');
    const half = await runFolderWith({ ...(await v1()), version: 1.5 });
    await expect(readRunState(half.dir)).rejects.toThrow('"version" must be a whole number, received 1.5.');
  });
});

describe('run.json: writing', () => {
  async function currentState(): Promise<RunState> {
    const { dir } = await runFolderWith(await v1());
    return readRunState(dir);
  }

  it('write → read round-trips a version-2 state with evaluation and exports, atomically (no temp files left)', async () => {
    const state = await currentState();
    state.status = 'completed';
    state.evaluation = { writtenAt: '2026-11-21T09:00:00.000Z', model: 'model', images: 2, accuracy: 0.5 };
    state.exports = {
      tfjs: { writtenAt: '2026-11-21T09:05:00.000Z', files: ['model.json', 'weights.bin', 'labels.txt'] },
    };
    const dir = path.join(root, 'written');
    await mkdir(dir);
    const before = Date.now();
    await writeRunState(dir, state);
    expect(Date.parse(state.updatedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(await readdir(dir)).toEqual(['run.json']);
    const text = await readFile(path.join(dir, 'run.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({
      version: 2,
      status: 'completed',
      exports: { tfjs: { files: ['model.json', 'weights.bin', 'labels.txt'] } },
    });
    expect(await readRunState(dir)).toEqual(state);
  });

  it('refuses to write a state that does not fit the schema, naming the field, and leaves the file as it was', async () => {
    const state = await currentState();
    const dir = path.join(root, 'refused');
    await mkdir(dir);
    await writeRunState(dir, state);
    const before = await readFile(path.join(dir, 'run.json'), 'utf8');
    const bad = { ...state, exports: { 'Not A Format': { writtenAt: state.updatedAt, files: [] } } };
    await expect(writeRunState(dir, bad)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining(
        'exports.Not A Format: expected a format id of lower-case letters, digits and "-" (e.g. "tfjs"), received key "Not A Format"',
      ),
    });
    await expect(writeRunState(dir, { ...state, best: { ...state.best!, wait: -1 } })).rejects.toThrow(
      /best\.wait: .*received -1/,
    );
    expect(await readFile(path.join(dir, 'run.json'), 'utf8')).toBe(before);
  });

  it('keeps NaN metrics: written as null, read back as NaN', async () => {
    const state = await currentState();
    state.history[0]!.valAccuracy = Number.NaN;
    const dir = path.join(root, 'nan');
    await mkdir(dir);
    await writeRunState(dir, state);
    const written = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8')) as {
      history: { valAccuracy: unknown }[];
    };
    expect(written.history[0]!.valAccuracy).toBeNull();
    expect((await readRunState(dir)).history[0]!.valAccuracy).toBeNaN();
  });
});
