import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectFile, DEFAULT_PROJECT_BASE } from '../../../../../shared/contract/project';
import { defaultHeadSpec } from '../../../../../shared/layer-spec';
import { TrainConfig } from '../../../../../shared/contract/training';
import { DEFAULT_BASE_ID } from '../../../../../main/engine/models/bases/bundled';
import { createProject, openProject, updateProject } from '../../../../../main/engine/project/store';
import { addRun, readProjectRun, updateRun } from '../../../../../main/engine/project/run-records';
import { listRecent } from '../../../../../main/engine/project/recent';
import { INTERRUPTED_MESSAGE } from '../../../../../main/engine/project/runs';

const root = mkdtempSync(path.join(os.tmpdir(), 'ts-project-'));
beforeAll(() => {
  process.env.TRANSFER_STUDIO_CONFIG_DIR = path.join(root, 'config');
});
let counter = 0;
const fresh = () => path.join(root, `p${++counter}`);
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

describe('project store', () => {
  it('creates project.json, cache/ and runs/ with the defaults', async () => {
    const dir = fresh();
    const opened = await createProject(dir, { name: 'Birds' });
    expect(opened.file).toBe(path.join(dir, 'project.json'));
    expect((await readdir(dir)).sort()).toEqual(['cache', 'project.json', 'runs']);
    const p = opened.project;
    expect(p).toMatchObject({ formatVersion: 1, revision: 1, name: 'Birds', dataset: null, runs: [] });
    expect(p.base).toEqual({ id: DEFAULT_BASE_ID, freeze: { mode: 'all', n: 0, layers: {} } });
    expect(DEFAULT_PROJECT_BASE).toBe(DEFAULT_BASE_ID);
    expect(p.head).toEqual(defaultHeadSpec());
    expect(p.training).toEqual(TrainConfig.parse({}));
    expect(p.split).toEqual({ fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 0 });
    expect(ProjectFile.parse(await readJson(opened.file))).toEqual(p);
  });

  it('names the project after its folder by default and refuses non-empty folders, quoting their entries', async () => {
    const dir = fresh();
    expect((await createProject(dir)).project.name).toBe(path.basename(dir));
    await expect(createProject(dir)).rejects.toThrow(/already holds a project; open it instead/);
    const busy = fresh();
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'notes.txt'), 'x');
    writeFileSync(path.join(busy, '.DS_Store'), '');
    await expect(createProject(busy)).rejects.toThrow(
      `${JSON.stringify(busy)} is not empty and is not a project (it holds "notes.txt")`,
    );
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    await expect(createProject(file)).rejects.toThrow(/is a file, not a folder/);
    const junkOnly = fresh();
    mkdirSync(junkOnly);
    writeFileSync(path.join(junkOnly, '.DS_Store'), '');
    await expect(createProject(junkOnly)).resolves.toMatchObject({ project: { revision: 1 } });
  });

  it('create → update head → reopen gives the same project; the previous revision is kept as .bak', async () => {
    const dir = fresh();
    const created = await createProject(dir);
    const head = {
      layers: [
        { kind: 'dense' as const, units: 64, activation: 'gelu' as const },
        { kind: 'batchNormalization' as const },
      ],
      output: { name: 'out' },
    };
    const updated = await updateProject(dir, { head, training: TrainConfig.parse({ epochs: 3 }) });
    expect(updated.project.revision).toBe(2);
    expect(updated.project.head).toEqual(head);
    expect(updated.project.training.epochs).toBe(3);
    expect(updated.project.name).toBe(created.project.name);
    expect(updated.project.createdAt).toBe(created.project.createdAt);
    const reopened = await openProject(dir);
    expect(reopened.project).toEqual(updated.project);
    expect(reopened.warnings).toEqual([]);
    expect(await readJson(path.join(dir, 'project.json.bak'))).toEqual(created.project);
    expect((await updateProject(dir, {})).project.revision).toBe(2);
  });

  it('refuses a bad head, quoting the bad value and naming the field, and writes nothing', async () => {
    const dir = fresh();
    await createProject(dir);
    const bad = updateProject(dir, { head: { layers: [{ kind: 'dense', units: 0, activation: 'relu' }] } });
    await expect(bad).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(
        'head.layers.0: layer 0 (dense): expected units to be an integer > 0, received 0',
      ),
    });
    await expect(updateProject(dir, { head: { layers: [{ kind: 'dropout', rate: 1.5 }] } })).rejects.toThrow(
      /expected rate in \[0, 1\), received 1.5/,
    );
    expect((await readJson(path.join(dir, 'project.json'))).revision).toBe(1);
    // Rank checks depend on the base and are left to model building: a spatial-only head is stored.
    await expect(updateProject(dir, { head: { layers: [{ kind: 'globalAveragePooling2d' }] } })).resolves.toBeDefined();
  });

  it('serializes concurrent updates in the engine: none is lost', async () => {
    const dir = fresh();
    await createProject(dir);
    await Promise.all([
      updateProject(dir, { name: 'renamed' }),
      updateProject(dir, { split: { fractions: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 3 } }),
      updateProject(dir, { base: { id: 'tm-mobilenet-v2-1.00', freeze: { mode: 'topBlocks', n: 2, layers: {} } } }),
      addRun(dir, { id: 'r1', dir: path.join(dir, 'runs', 'r1') }),
    ]);
    const { project } = await openProject(dir);
    expect(project.revision).toBe(5);
    expect(project.name).toBe('renamed');
    expect(project.split.seed).toBe(3);
    expect(project.base.freeze).toEqual({ mode: 'topBlocks', n: 2, layers: {} });
    expect(project.runs).toMatchObject([{ id: 'r1', dir: 'runs/r1', status: 'running' }]);
  });

  it('refuses to overwrite changes made by another program', async () => {
    const dir = fresh();
    await createProject(dir);
    const file = path.join(dir, 'project.json');
    const foreign = { ...(await readJson(file)), name: 'from elsewhere', revision: 7 };
    await writeFile(file, JSON.stringify(foreign));
    await expect(updateProject(dir, { name: 'mine' })).rejects.toMatchObject({
      message: expect.stringMatching(
        /was changed by another program \(it is at revision 7; this window last read revision 1\)/,
      ),
      code: 'CONFLICT',
      details: { reason: 'conflict' },
    });
    expect((await readJson(file)).name).toBe('from elsewhere');
    await expect(updateProject(dir, { name: 'mine' }, { expectedRevision: 6 })).rejects.toThrow(
      /revision 7; this window last read revision 6/,
    );
    // After reopening, the engine's view is current again.
    await openProject(dir);
    await expect(updateProject(dir, { name: 'mine' }, { expectedRevision: 7 })).resolves.toMatchObject({
      project: { revision: 8, name: 'mine' },
    });
  });

  it('records runs and marks runs left running by a dead engine as interrupted', async () => {
    const dir = fresh();
    await createProject(dir);
    const run = await addRun(dir, { id: 'a', dir: 'runs/a' });
    await expect(addRun(dir, { id: 'a', dir: 'runs/a2' })).rejects.toThrow(/already has a run "a"/);
    // Active in this engine: not interrupted.
    expect((await openProject(dir)).project.runs[0]).toMatchObject({ id: 'a', status: 'running', pid: process.pid });
    const done = await updateRun(dir, 'a', { status: 'completed', valAccuracy: 0.93, bestEpoch: 4 });
    expect(done).toMatchObject({ status: 'completed', valAccuracy: 0.93, bestEpoch: 4, startedAt: run.startedAt });
    expect(done.endedAt).toBeDefined();
    await expect(updateRun(dir, 'nope', { status: 'failed' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A run written by an engine that has since died (pid that no longer exists, and one with no pid).
    const file = path.join(dir, 'project.json');
    const raw = await readJson(file);
    const startedAt = new Date().toISOString();
    raw.runs = [
      ...(raw.runs as object[]),
      { id: 'b', dir: 'runs/b', startedAt, status: 'running', pid: 2 ** 22 + 12345 },
      { id: 'c', dir: '/elsewhere/c', startedAt, status: 'running' },
    ];
    await writeFile(file, JSON.stringify(raw));
    const { project } = await openProject(dir);
    expect(project.runs.map((r) => [r.id, r.status])).toEqual([
      ['a', 'completed'],
      ['b', 'interrupted'],
      ['c', 'interrupted'],
    ]);
    expect(project.runs[1]).toMatchObject({ error: INTERRUPTED_MESSAGE, endedAt: expect.any(String) });
    expect(((await readJson(file)).runs as { status: string }[])[2]!.status).toBe('interrupted');
  });

  it("a resumed run: updateRun clears error and endedAt (null) and records the new engine's pid", async () => {
    const dir = fresh();
    await createProject(dir);
    await addRun(dir, { id: 'r', dir: 'runs/r' });
    const cancelled = await updateRun(dir, 'r', {
      status: 'cancelled',
      error: 'Training was cancelled.',
      bestEpoch: 1,
      valAccuracy: 0.5,
    });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      error: 'Training was cancelled.',
      endedAt: expect.any(String),
    });
    // As if another engine (pid 2^22+777, long dead) had written it, then this engine resumes it.
    const file = path.join(dir, 'project.json');
    const raw = await readJson(file);
    (raw.runs as { pid: number }[])[0]!.pid = 2 ** 22 + 777;
    await writeFile(file, JSON.stringify(raw));
    const resumed = await updateRun(dir, 'r', { status: 'running', pid: process.pid, error: null, endedAt: null });
    expect(resumed).toMatchObject({ status: 'running', pid: process.pid, bestEpoch: 1, valAccuracy: 0.5 });
    expect(resumed).not.toHaveProperty('error');
    expect(resumed).not.toHaveProperty('endedAt');
    const stored = (await readJson(file)).runs as Record<string, unknown>[];
    expect(stored[0]).not.toHaveProperty('error');
    expect(stored[0]).not.toHaveProperty('endedAt');
    // Still running in this engine: a project.open (this or another window) leaves it alone.
    expect((await openProject(dir)).project.runs[0]).toMatchObject({ status: 'running', pid: process.pid });
    // An explicit endedAt wins over "now"; a field left out is kept.
    const done = await updateRun(dir, 'r', { status: 'completed', endedAt: '2030-01-01T00:00:00.000Z', error: null });
    expect(done).toMatchObject({
      status: 'completed',
      endedAt: '2030-01-01T00:00:00.000Z',
      pid: process.pid,
      bestEpoch: 1,
    });
    await expect(readProjectRun(dir, 'r')).resolves.toMatchObject({ id: 'r', dir: 'runs/r', status: 'completed' });
    await expect(readProjectRun(dir, 'nope')).resolves.toBeUndefined();
    await expect(readProjectRun(path.join(root, 'missing'), 'r')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the recent projects list, newest first, once each', async () => {
    const a = fresh();
    const b = fresh();
    await createProject(a, { name: 'A' });
    await createProject(b, { name: 'B' });
    await openProject(a);
    await openProject(b, { remember: false });
    const recent = await listRecent();
    const mine = recent.filter((r) => r.dir === a || r.dir === b);
    expect(mine.map((r) => [r.name, r.exists])).toEqual([
      ['A', true],
      ['B', true],
    ]);
    expect(new Set(recent.map((r) => r.dir)).size).toBe(recent.length);
    await readFile(path.join(root, 'config', 'recent-projects.json'), 'utf8').then((text) =>
      expect(JSON.parse(text).version).toBe(1),
    );
  });
});
