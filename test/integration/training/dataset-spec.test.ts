/**
 * Training sees exactly the Data step's dataset: sources with their modes, class renames, merges and
 * exclusions (`dataset` in the request), the Data step's split with its test share held out of
 * training and validation (listed in run.json), tiny classes given a validation image, and a
 * resume that refuses to write to a project that does not own the run.
 * Real MobileNetV2 on wasm, tiny sharp-made images, in-process.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDataset } from '../../../main/engine/data/scan';
import { splitRecords } from '../../../main/engine/data/split';
import { createProject, openProject } from '../../../main/engine/project/store';
import { backendReady } from '../../../main/engine/runtime';
import { resumeRun, trainRun } from '../../../main/engine/training/run';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { createRandom } from '../../../main/engine/training/seed';
import type { DatasetSpecInput } from '../../../shared/contract/data';
import { trainingContract, type TrainRequest } from '../../../shared/contract/training';

const quiet = { signal: new AbortController().signal, progress: () => undefined };

/** `count` noisy 32×32 PNGs of one colour in `dir`. */
async function colourImages(dir: string, colour: readonly number[], count: number, seed: number): Promise<void> {
  const random = createRandom(seed);
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const data = Buffer.alloc(32 * 32 * 3);
    for (let p = 0; p < data.length; p++)
      data[p] = Math.max(0, Math.min(255, colour[p % 3]! + Math.floor((random() - 0.5) * 120)));
    await sharp(data, { raw: { width: 32, height: 32, channels: 3 } })
      .png()
      .toFile(path.join(dir, `${i}.png`));
  }
}

describe("training on the Data step's dataset and split", () => {
  let tmp = '';
  let spec: DatasetSpecInput;
  const split = { train: 0.6, validation: 0.2, test: 0.2, seed: 1 };

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    expect((await backendReady()).name).toBe('wasm');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'dataset-spec-'));
    const animals = path.join(tmp, 'colours');
    await colourImages(path.join(animals, 'red'), [210, 40, 40], 7, 1);
    await colourImages(path.join(animals, 'crimson'), [170, 20, 50], 4, 2);
    await colourImages(path.join(animals, 'blue'), [40, 40, 210], 8, 3);
    await colourImages(path.join(animals, 'green'), [40, 200, 40], 3, 4);
    // A class folder of only 2 images: it must still get one training and one validation image.
    await colourImages(path.join(tmp, 'pale'), [235, 235, 235], 2, 5);
    spec = {
      sources: [
        { path: animals, mode: 'parent' },
        { path: path.join(tmp, 'pale'), mode: 'class', className: 'white' },
      ],
      renames: { blue: 'navy' },
      merges: [{ into: 'red', from: ['crimson'] }],
      excluded: ['green'],
    };
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('declares every source folder among the job paths and needs dataset or dirs, in words', async () => {
    const request = {
      dataset: {
        sources: [
          { path: '/a', mode: 'parent' },
          { path: '/b', mode: 'class' },
        ],
      },
      projectDir: '/p',
    } as TrainRequest;
    expect(trainingContract['training.train'].paths!(request)).toEqual(['/a', '/b', '/p']);
    const neither = await trainRun({ config: {} } as TrainRequest, quiet).catch((e: unknown) => e);
    expect(neither).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('`dataset`') });
    expect(String((neither as Error).message)).toContain('`dirs`');
    const badSplit = await trainRun(
      { dirs: ['/x'], split: { train: 0.8, validation: 0, test: 0.2 } } as TrainRequest,
      quiet,
    ).catch((e: unknown) => e);
    expect(badSplit).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('split.validation') });
  });

  it('trains the renamed, merged and filtered classes, holds the test share out and records it in run.json', async () => {
    const runDir = path.join(tmp, 'run');
    const result = await trainRun(
      {
        dataset: spec,
        split,
        runDir,
        cacheDir: path.join(tmp, 'cache'),
        config: { epochs: 2, batchSize: 8, seed: 3 },
      } as TrainRequest,
      quiet,
    );
    expect(result.classes).toEqual(['navy', 'red', 'white']);
    // 7 red + 4 crimson (merged) + 8 navy + 2 white; green is excluded.
    expect(result.trainImages + result.valImages + result.testImages!).toBe(21);

    // Exactly the Data step's split of the same scan (data.split runs the same splitRecords).
    const scan = await scanDataset(spec);
    const expected = splitRecords(scan.records, split, split.seed);
    const testPaths = expected.assignments
      .filter((a) => a.split === 'test')
      .map((a) => a.path)
      .sort();
    expect(result.testImages).toBe(testPaths.length);
    expect(result.valImages).toBe(expected.counts.validation);
    expect(expected.perClass.find((c) => c.name === 'white')).toMatchObject({ train: 1, validation: 1, test: 0 });

    const state = await readRunState(runDir);
    expect(state.test!.count).toBe(testPaths.length);
    expect(state.test!.images.map((i) => i.path).sort()).toEqual(testPaths);
    for (const image of state.test!.images)
      expect(state.classes[image.label]).toBe(expected.assignments.find((a) => a.path === image.path)!.class);
    expect(state.request.dataset).toMatchObject({ renames: { blue: 'navy' }, excluded: ['green'] });
    expect(state.request.split).toEqual(split);
    // Train and validation never see a test image: their feature rows are the 19 others exactly.
    expect(result.cache.misses + result.cache.hits).toBe(result.trainImages + result.valImages);
  });

  it('resume uses the recorded spec and split, and refuses a run whose project does not list it', async () => {
    // A cancelled-looking copy of the run, claiming a project that never had it.
    const { dir: other } = await createProject(path.join(tmp, 'other-project'), { remember: false });
    const before = await readFile(path.join(other, 'project.json'), 'utf8');
    const state = await readRunState(path.join(tmp, 'run'));
    const forged = path.join(tmp, 'forged');
    await mkdir(forged, { recursive: true });
    await writeFile(
      path.join(forged, 'run.json'),
      JSON.stringify({ ...state, status: 'cancelled', project: { dir: other, runId: 'forged' } }),
    );
    const refused = await resumeRun(forged, quiet).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(`that project has no run "forged"`),
    });
    expect(await readFile(path.join(other, 'project.json'), 'utf8')).toBe(before);
    // A project folder that is no project at all.
    await writeFile(
      path.join(forged, 'run.json'),
      JSON.stringify({ ...state, status: 'cancelled', project: { dir: path.join(tmp, 'colours'), runId: 'forged' } }),
    );
    await expect(resumeRun(forged, quiet)).rejects.toThrow(/that folder holds no project; it was not resumed/);
    expect((await openProject(other, { remember: false })).project.runs).toEqual([]);
  });
});
