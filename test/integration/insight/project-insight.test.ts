/**
 * Insight in a project: the project's dataset, split and base are the defaults, the result is saved as
 * `<project>/insight.json`, and 'insight.read' gives it back — stale once the images change.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InspectRequest } from '../../../shared/contract/insight';
import { readInsight, INSIGHT_FILE } from '../../../main/engine/insight/insight-file';
import { inspectDataset } from '../../../main/engine/insight/inspect';
import { createProject, updateProject } from '../../../main/engine/project/store';
import { backendReady } from '../../../main/engine/runtime';
import { writeCopy, writeScenes } from './scenes';

describe('insight in a project', () => {
  let tmp: string;
  let projectDir: string;
  let data: string;
  let files: Record<string, string[]>;

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    await backendReady();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'insight-project-'));
    process.env.TRANSFER_STUDIO_CONFIG_DIR = path.join(tmp, 'config');
    data = path.join(tmp, 'scenes');
    files = await writeScenes(data, 10);
    projectDir = path.join(tmp, 'project');
    await createProject(projectDir, { remember: false });
    await updateProject(projectDir, {
      dataset: { sources: [{ path: data, mode: 'parent' }], renames: {}, merges: [], excluded: [] },
      split: { fractions: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 3 },
    });
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('saves insight.json, reads it back fresh, stays fresh after image edits, and marks it stale when the images change', async () => {
    expect(await readInsight(projectDir)).toBeNull();
    const progress: string[] = [];
    const result = await inspectDataset(InspectRequest.parse({ projectDir }), {
      signal: new AbortController().signal,
      progress: (p) => {
        if (progress.at(-1) !== p.phase) progress.push(p.phase);
      },
    });
    expect(progress).toEqual(['scan', 'extract', 'folds', 'duplicates', 'outliers', 'map', 'save']);
    expect(result.images).toHaveLength(30);
    expect(new Set(result.images.map((i) => i.split))).toEqual(new Set(['train', 'validation', 'test']));
    expect(result.map?.x).toHaveLength(30);
    // The features went to the project's cache, the result to its insight.json.
    expect((await readdir(path.join(projectDir, 'cache', 'features'))).length).toBeGreaterThan(0);
    await expect(readFile(path.join(projectDir, INSIGHT_FILE), 'utf8')).resolves.toContain(result.fingerprint);
    const read = await readInsight(projectDir);
    expect(read).toEqual({ ...result, stale: false });

    // Acting on findings (an image left out, another moved) is what they are for: still fresh.
    await updateProject(projectDir, {
      dataset: {
        sources: [{ path: data, mode: 'parent' }],
        renames: {},
        merges: [],
        excluded: [],
        files: { excluded: [result.images[0]!.path], classes: { [result.images[1]!.path]: 'boxes' } },
      },
    });
    expect((await readInsight(projectDir))!.stale).toBe(false);
    await writeCopy(files.boxes![0]!, path.join(data, 'boxes', 'new.png'), 'resized');
    expect((await readInsight(projectDir))!.stale).toBe(true);
  });

  it('names the file when insight.json is not an insight', async () => {
    await writeFile(path.join(projectDir, INSIGHT_FILE), '{"createdAt": 3}');
    await expect(readInsight(projectDir)).rejects.toThrow(/insight\.json" is not a valid insight file: createdAt/);
  });
});
