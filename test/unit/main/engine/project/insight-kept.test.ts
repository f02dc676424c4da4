import { mkdtempSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FINDING_ID_LENGTH, MAX_INSIGHT_KEPT, ProjectPatch } from '../../../../../shared/contract/project';
import { openProject, updateProject } from '../../../../../main/engine/project/store';

const root = mkdtempSync(path.join(os.tmpdir(), 'ts-project-kept-'));
beforeAll(() => {
  process.env.TRANSFER_STUDIO_CONFIG_DIR = path.join(root, 'config');
});

/** project.json as a build before `insightKept` wrote it. */
const OLD_FILE = {
  formatVersion: 1,
  revision: 4,
  name: 'Pets',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
  dataset: null,
  runs: [],
};

describe('project.json insightKept', () => {
  it('opens a file written before the field unchanged, then stores, reopens and clears kept ids', async () => {
    const dir = path.join(root, 'old');
    mkdirSync(dir);
    const file = path.join(dir, 'project.json');
    await writeFile(file, JSON.stringify(OLD_FILE));
    const opened = await openProject(dir, { remember: false });
    expect(opened.warnings).toEqual([]);
    expect(opened.project).toMatchObject({ revision: 4, name: 'Pets' });
    expect(opened.project.insightKept).toBeUndefined();
    // Opening writes nothing: the file reads as it was.
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(OLD_FILE);

    const ids = ['outlier:hash-d0', 'leakage:hash-d1+hash-d2'];
    const updated = await updateProject(dir, ProjectPatch.parse({ insightKept: ids }), { expectedRevision: 4 });
    expect(updated.project.insightKept).toEqual(ids);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ revision: 5, insightKept: ids });
    expect((await openProject(dir, { remember: false })).project.insightKept).toEqual(ids);

    await updateProject(dir, ProjectPatch.parse({ insightKept: [] }), { expectedRevision: 5 });
    expect((await openProject(dir, { remember: false })).project.insightKept).toEqual([]);
  });

  it('bounds the ids and their count, naming the field', () => {
    const long = ProjectPatch.safeParse({ insightKept: ['x'.repeat(MAX_FINDING_ID_LENGTH + 1)] });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.path).toEqual(['insightKept', 0]);
    const many = ProjectPatch.safeParse({
      insightKept: Array.from({ length: MAX_INSIGHT_KEPT + 1 }, (_, i) => `k${i}`),
    });
    expect(many.success).toBe(false);
    expect(many.error?.issues[0]?.path).toEqual(['insightKept']);
    expect(ProjectPatch.safeParse({ insightKept: [''] }).success).toBe(false);
  });
});
