/**
 * Runs inside a project (training.train with `projectDir`): the run folder and feature cache go
 * into the project folder, and project.json's run record follows the run — 'running' while it
 * trains (a project.open meanwhile leaves it alone), then completed / cancelled / failed with the
 * best validation accuracy and epoch or the error; training.resume updates the same record.
 * Real MobileNetV2 on wasm, tiny sharp-made images (2 colour classes), in-process.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resumeRun, trainRun } from '../../../main/engine/training/run';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { createProject, openProject } from '../../../main/engine/project/store';
import { backendReady } from '../../../main/engine/runtime';
import { createRandom } from '../../../main/engine/training/seed';
import { trainingContract } from '../../../shared/contract/training';
import type { ProjectRun } from '../../../shared/contract/project';
import type { TrainRequest } from '../../../shared/contract/training';

const quiet = { signal: new AbortController().signal, progress: () => undefined };

/** `count` noisy 40×40 PNGs per class around one colour each (red vs blue). */
async function colourClasses(dir: string, count: number): Promise<string> {
  const random = createRandom(11);
  for (const [name, colour] of [
    ['red', [200, 40, 40]],
    ['blue', [40, 40, 200]],
  ] as const) {
    await mkdir(path.join(dir, name), { recursive: true });
    for (let i = 0; i < count; i++) {
      const data = Buffer.alloc(40 * 40 * 3);
      for (let p = 0; p < data.length; p++)
        data[p] = Math.max(0, Math.min(255, colour[p % 3]! + Math.floor((random() - 0.5) * 140)));
      await sharp(data, { raw: { width: 40, height: 40, channels: 3 } })
        .png()
        .toFile(path.join(dir, name, `${i}.png`));
    }
  }
  return dir;
}

async function runsOf(projectDir: string): Promise<ProjectRun[]> {
  return (await openProject(projectDir, { remember: false })).project.runs;
}

describe('training runs recorded in a project', () => {
  let tmp = '';
  let images = '';
  let baseline = -1;

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    expect((await backendReady()).name).toBe('wasm');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'project-run-'));
    images = await colourClasses(path.join(tmp, 'images'), 10);
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('declares projectDir among the job paths the host checks', () => {
    const request = { dirs: ['/data/a'], projectDir: '/projects/p' } as TrainRequest;
    expect(trainingContract['training.train'].paths!(request)).toEqual(['/data/a', '/projects/p']);
  });

  it('puts the run and cache in the project and records it running → completed with its results', async () => {
    const { dir: projectDir } = await createProject(path.join(tmp, 'p1'), { remember: false });
    const during: ProjectRun[][] = [];
    const result = await trainRun(
      { dirs: [images], projectDir, config: { epochs: 3, seed: 2, batchSize: 8 } } as TrainRequest,
      {
        ...quiet,
        // A project.open while the run trains (another window, the same engine) must not take it for a dead engine's run.
        onEpochSaved: async () => void during.push(await runsOf(projectDir)),
      },
    );
    expect(result.projectRunId).toBeDefined();
    const id = result.projectRunId!;
    expect(result.runDir).toBe(path.join(projectDir, 'runs', id));
    expect((await readRunState(result.runDir)).project).toEqual({ dir: projectDir, runId: id });
    expect(existsSync(path.join(result.runDir, 'model', 'model.json'))).toBe(true);
    expect((await readdir(path.join(projectDir, 'cache'))).length).toBeGreaterThan(0); // features cached in the project
    expect(during).toHaveLength(3);
    for (const runs of during) expect(runs).toMatchObject([{ id, status: 'running', pid: process.pid }]);

    const [run] = await runsOf(projectDir);
    expect(run).toMatchObject({
      id,
      dir: `runs/${id}`,
      status: 'completed',
      valAccuracy: result.valAccuracy,
      bestEpoch: result.bestEpoch,
    });
    expect(run!.endedAt).toBeDefined();
    expect(run!.error).toBeUndefined();
    expect(result.valAccuracy).toBeGreaterThan(0.7); // red vs blue (chance 0.5)
    baseline = tf.memory().numTensors;
  });

  it('a cancelled run is recorded cancelled; training.resume updates the same record to completed', async () => {
    const { dir: projectDir } = await createProject(path.join(tmp, 'p2'), { remember: false });
    const runDir = path.join(tmp, 'elsewhere', 'run-a'); // an explicit run folder outside the project is allowed
    const controller = new AbortController();
    const error = await trainRun(
      { dirs: [images], projectDir, runDir, config: { epochs: 4, seed: 2, batchSize: 4 } } as TrainRequest,
      {
        signal: controller.signal,
        progress: (p) => {
          if (p.phase === 'head' && p.epoch === 1 && (p.batch ?? 0) >= 1) controller.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    let runs = await runsOf(projectDir);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 'run-a', dir: runDir, status: 'cancelled', bestEpoch: 0 });
    expect(runs[0]!.error).toMatch(/cancelled/i);
    expect(runs[0]!.valAccuracy).toBeGreaterThanOrEqual(0);

    const resumed = await resumeRun(runDir, quiet);
    expect(resumed.projectRunId).toBe('run-a');
    runs = await runsOf(projectDir);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: 'run-a',
      status: 'completed',
      valAccuracy: resumed.valAccuracy,
      bestEpoch: resumed.bestEpoch,
      pid: process.pid,
    });
    expect(runs[0]!.error).toBeUndefined(); // the cancel message of the first session is cleared by the resume
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('a failed run is recorded failed with the reason; a missing project fails before anything is written', async () => {
    const { dir: projectDir } = await createProject(path.join(tmp, 'p3'), { remember: false });
    const error = await trainRun(
      { dirs: [images], projectDir, head: 'dense:many', config: { epochs: 2 } } as TrainRequest,
      quiet,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_INPUT' });
    const [run] = await runsOf(projectDir);
    expect(run).toMatchObject({ status: 'failed' });
    expect(run!.error).toMatch(/dense:many/);
    expect(run!.valAccuracy).toBeUndefined();
    expect(tf.memory().numTensors).toBe(baseline);

    const missing = path.join(tmp, 'no-project');
    const notFound = await trainRun(
      { dirs: [images], projectDir: missing, config: { epochs: 1 } } as TrainRequest,
      quiet,
    ).catch((e: unknown) => e);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND' });
    expect(String((notFound as Error).message)).toContain(missing);
    expect(existsSync(missing)).toBe(false);
  });
});
