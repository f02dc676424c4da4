/**
 * Same seed + backend (tfjs wasm, features from tfjs too) + data ⇒ the same history, bit for bit, as recorded in
 * history-identity.json (recorded with the training code before the phase-runner redesign):
 * phase 1 (lean head loop), phase 1 with 'auto' class weights and label smoothing on imbalanced
 * data, a short phase-2 fine-tune, and a run cancelled mid-epoch then resumed. Real runs on
 * Fashion-MNIST through the bundled MobileNetV2 on wasm, in-process.
 *
 * Every config names its learning rate (0.001, the default when these were recorded; the default is 0.003 since
 * batch 128 became the default) so each keeps what it pinned.
 *
 * Re-record (only when a change of numerics is intended): HISTORY_IDENTITY_RECORD=1 npx vitest run <this file>.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { resumeRun, trainRun } from '../../../main/engine/training/run';
import { backendReady } from '../../../main/engine/runtime';
import type { TrainProgress, TrainRequest, TrainResponse } from '../../../shared/contract/training';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'history-identity.json');
const RECORD = process.env.HISTORY_IDENTITY_RECORD === '1';

/** What a run must reproduce exactly. */
type Recorded = Pick<TrainResponse, 'history' | 'bestEpoch' | 'valAccuracy' | 'stoppedBy'>;

const recorded: Record<string, Recorded> = RECORD
  ? {}
  : (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Recorded>);
const quiet = { signal: new AbortController().signal, progress: () => undefined };

function essentials(response: TrainResponse): Recorded {
  // A JSON round trip, as the fixture went through one (every finite double survives it exactly).
  return JSON.parse(
    JSON.stringify({
      history: response.history,
      bestEpoch: response.bestEpoch,
      valAccuracy: response.valAccuracy,
      stoppedBy: response.stoppedBy,
    }),
  ) as Recorded;
}

function expectRecorded(name: string, response: TrainResponse): void {
  const actual = essentials(response);
  if (RECORD) {
    recorded[name] = actual;
    return;
  }
  expect(recorded[name], `no recorded history named ${JSON.stringify(name)} in ${FIXTURE}`).toBeDefined();
  expect(actual).toEqual(recorded[name]);
}

describe('a run’s history for a fixed seed is identical to the recorded one', () => {
  let tmp = '';
  let balanced = '';
  let majority = '';
  let minority = '';

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    process.env.TRANSFER_STUDIO_EXTRACTOR = 'tfjs'; // the fixture's features came from tfjs (ORT's differ by ~1e-5)
    expect((await backendReady()).name).toBe('wasm');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'history-identity-'));
    balanced = await fashionMnistFolders({ perClass: 24, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 200 });
    majority = await fashionMnistFolders({ perClass: 30, classes: ['Pullover', 'Sandal'], offset: 400 });
    minority = await fashionMnistFolders({ perClass: 8, classes: ['Shirt'], offset: 400 });
  });

  afterAll(async () => {
    if (RECORD) writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
    await rm(tmp, { recursive: true, force: true });
  });

  const request = (name: string, dirs: string[], config: object): TrainRequest =>
    ({ dirs, runDir: path.join(tmp, name), cacheDir: path.join(tmp, 'cache'), config }) as TrainRequest;

  it('phase 1 (lean head loop, stopped early: patience 1)', async () => {
    const config = {
      epochs: 12,
      seed: 11,
      batchSize: 16,
      learningRate: 0.02,
      classWeights: 'none',
      earlyStopping: { patience: 1 },
    };
    expectRecorded('head', await trainRun(request('head', [balanced], config), quiet));
  });

  it('phase 1 with class weights "auto" and label smoothing on imbalanced data', async () => {
    const config = {
      epochs: 5,
      seed: 12,
      batchSize: 8,
      learningRate: 0.001,
      classWeights: 'auto',
      labelSmoothing: 0.1,
    };
    expectRecorded('head-weighted', await trainRun(request('weighted', [majority, minority], config), quiet));
  });

  it('phase 2: a short fine-tune after the head', async () => {
    const config = {
      epochs: 2,
      seed: 13,
      batchSize: 8,
      learningRate: 0.001,
      classWeights: 'auto',
      labelSmoothing: 0.05,
      fineTune: { top: 1, epochs: 2 },
    };
    const response = await trainRun(request('fine-tune', [balanced], config), quiet);
    expect(response.history.map((h) => h.phase)).toEqual(['head', 'head', 'fine-tune', 'fine-tune']);
    expectRecorded('fine-tune', response);
  });

  it('cancelled mid-epoch in each phase, then resumed: the same history as the run never interrupted', async () => {
    const config = {
      epochs: 3,
      seed: 13,
      batchSize: 8,
      learningRate: 0.001,
      classWeights: 'auto',
      labelSmoothing: 0.05,
      fineTune: { top: 1, epochs: 2 },
    };
    const runDir = path.join(tmp, 'cancelled');
    const cancelWhen = (phase: TrainProgress['phase'], epoch: number) => {
      const controller = new AbortController();
      return {
        signal: controller.signal,
        progress: (p: TrainProgress) => {
          if (p.phase === phase && p.epoch === epoch && (p.batch ?? 0) >= 2) controller.abort();
        },
      };
    };
    // Head epochs are 0–2, fine-tuning 3–4: cancel inside epoch 1, then inside epoch 4.
    await expect(trainRun(request('cancelled', [balanced], config), cancelWhen('head', 1))).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    await expect(resumeRun(runDir, cancelWhen('fine-tune', 4))).rejects.toMatchObject({ code: 'CANCELLED' });
    const resumed = await resumeRun(runDir, quiet);
    expect(resumed.history.map((h) => `${h.epoch}:${h.phase}`)).toEqual([
      '0:head',
      '1:head',
      '2:head',
      '3:fine-tune',
      '4:fine-tune',
    ]);
    expectRecorded('cancelled-resumed', resumed);
    const uninterrupted = await trainRun(request('uninterrupted', [balanced], config), quiet);
    expect(essentials(resumed)).toEqual(essentials(uninterrupted));
  });
});
