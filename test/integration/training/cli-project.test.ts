/**
 * `transfer-studio train --project DIR` trains exactly what the app would for the project: its
 * dataset (class renames, merges, exclusions), split (test share held out), base, head and config
 * (flags override config fields), and records the run in project.json. Built CLI, real engine
 * process, MobileNetV2 on wasm, tiny sharp-made images.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourImages } from '../../fixtures/colour-images';
import { projectTrainRequest } from '../../../main/cli/commands/train';
import { createProject, openProject, updateProject } from '../../../main/engine/project/store';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { TrainConfig, TrainRequest } from '../../../shared/contract/training';

const run = promisify(execFile);

describe('transfer-studio train --project', () => {
  let tmp = '';
  let projectDir = '';

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-project-'));
    const images = path.join(tmp, 'images');
    await writeColourImages(path.join(images, 'cat'), { r: 200, g: 60, b: 40 }, 6);
    await writeColourImages(path.join(images, 'kitten'), { r: 190, g: 70, b: 50 }, 3);
    await writeColourImages(path.join(images, 'dog'), { r: 40, g: 60, b: 200 }, 6);
    await writeColourImages(path.join(images, 'junk'), { r: 20, g: 200, b: 20 }, 2);
    process.env.TRANSFER_STUDIO_CONFIG_DIR = path.join(tmp, 'config');
    ({ dir: projectDir } = await createProject(path.join(tmp, 'pets'), { remember: false }));
    await updateProject(projectDir, {
      dataset: {
        sources: [{ path: images, mode: 'parent' }],
        renames: { dog: 'puppy' },
        merges: [{ into: 'cat', from: ['kitten'] }],
        excluded: ['junk'],
      },
      split: { fractions: { train: 0.6, validation: 0.2, test: 0.2 }, seed: 4 },
      training: TrainConfig.parse({ epochs: 7, batchSize: 4, seed: 9 }),
    });
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("builds the app's request from project.json, flags overriding config fields", async () => {
    const { project } = await openProject(projectDir, { remember: false });
    const request = projectTrainRequest(projectDir, project, { epochs: 1, earlyStopping: { patience: 0 } });
    expect(TrainRequest.parse(request)).toMatchObject({
      dataset: project.dataset,
      split: { train: 0.6, validation: 0.2, test: 0.2, seed: 4 },
      base: project.base.id,
      head: project.head,
      projectDir,
      config: { epochs: 1, batchSize: 4, seed: 9, earlyStopping: { patience: 0, restoreBestWeights: true } },
    });
    expect(() => projectTrainRequest(projectDir, { ...project, dataset: null })).toThrow(/has no images yet/);
  });

  it("trains the project's classes and split and records the run in the project", async () => {
    const env = {
      ...process.env,
      TRANSFER_STUDIO_BACKEND: 'wasm',
      TRANSFER_STUDIO_CONFIG_DIR: path.join(tmp, 'config'),
    };
    const { stdout } = await run(
      process.execPath,
      ['bin/transfer-studio.js', 'train', '--project', projectDir, '--epochs', '1', '--json'],
      { env },
    );
    const summary = JSON.parse(stdout) as {
      classes: string[];
      runDir: string;
      projectRunId: string;
      trainImages: number;
      valImages: number;
      testImages: number;
      history: unknown[];
    };
    expect(summary.classes).toEqual(['cat', 'puppy']);
    expect(summary.trainImages + summary.valImages + summary.testImages).toBe(15); // 6 cat + 3 kitten + 6 dog
    expect(summary.testImages).toBeGreaterThan(0);
    expect(summary.history).toHaveLength(1);
    expect(summary.runDir).toBe(path.join(projectDir, 'runs', summary.projectRunId));
    const state = await readRunState(summary.runDir);
    expect(state.request.split).toEqual({ train: 0.6, validation: 0.2, test: 0.2, seed: 4 });
    expect(state.request.config).toMatchObject({ epochs: 1, batchSize: 4, seed: 9 });
    expect(state.test!.count).toBe(summary.testImages);
    const { project } = await openProject(projectDir, { remember: false });
    expect(project.runs).toMatchObject([
      { id: summary.projectRunId, dir: `runs/${summary.projectRunId}`, status: 'completed' },
    ]);
  });
});
