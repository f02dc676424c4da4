/**
 * `transfer-studio train DIR --budget 60s` through the built CLI and a real engine (tfjs wasm, bundled MobileNetV2)
 * on Fashion-MNIST (3 classes × 40 images of 28 px): it prints the chosen settings and the one sentence, trains
 * with them (explicit flags winning), records the budget and the sentence in run.json, stays within the budget plus
 * slack, and records this machine's speeds from the run. An invalid budget is refused, quoted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { readSpeeds } from '../../../main/engine/models/speed/speed-store';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';

const run = promisify(execFile);
const BUDGET = 60;
/** Time past the budget allowed for saving and scoring the test images on a loaded machine. */
const SLACK = 45;

let tmp = '';
let data = '';
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'train-budget-'));
  data = await fashionMnistFolders({ perClass: 40, classes: ['T-shirt_top', 'Trouser', 'Bag'] });
  env = {
    ...process.env,
    TRANSFER_STUDIO_BACKEND: 'wasm',
    TRANSFER_STUDIO_CACHE: path.join(tmp, 'cache'),
    TRANSFER_STUDIO_DATA: path.join(tmp, 'data'),
    TRANSFER_STUDIO_CONFIG_DIR: path.join(tmp, 'config'),
  };
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('transfer-studio train --budget', () => {
  it('chooses the settings from the data and the budget, records them, and stays within the budget', async () => {
    const out = path.join(tmp, 'run');
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/transfer-studio.js', 'train', data, '--budget', `${BUDGET}s`, '--patience', '3', '--out', out],
      { env, timeout: 300_000 },
    );
    const lines = stderr
      .split('\n')
      .filter((l) => l.startsWith('Auto') || l.startsWith('Fine-tuning') || l.startsWith('Training'));
    expect(lines[0]).toMatch(/^Auto \(budget 60 s\): base nsfwjs-mobilenet-v2, \d+ head epochs, augmentation ×4, /);
    expect(lines[1]).toMatch(
      /with 120 images; augmentation ×4 because the smallest class has under 50 training images\.$/,
    );
    expect(stdout).toContain(`Run folder: ${out}`);

    const state = await readRunState(out);
    expect(state.status).toBe('completed');
    expect(state.auto).toMatchObject({ budgetSeconds: BUDGET, reason: lines[1] });
    expect(state.request.auto).toMatchObject({ budgetSeconds: BUDGET, reason: lines[1] });
    expect(state.request.auto!.fields).toEqual(
      expect.arrayContaining(['base', 'epochs', 'augment', 'fineTune.top', 'fineTune.epochs']),
    );
    // The chosen settings are what trained: 28-px images fine-tune one block more (2 for classes under 100 images).
    const config = state.request.config;
    expect(config.augment).toBe(4);
    expect(config.earlyStopping.patience).toBe(3);
    if (config.fineTune.top > 0) {
      expect(config.fineTune.top).toBe(2);
      expect(lines[1]).toMatch(
        /^Fine-tuning the top 2 blocks \(one more for tiny images\) for \d epochs fits your 60-second budget/,
      );
    }
    const planned = config.epochs + (config.fineTune.top > 0 ? config.fineTune.epochs : 0);
    const fineTuned = state.history.filter((h) => h.phase === 'fine-tune').length;
    // Fewer fine-tune epochs than planned without early stopping can only be the budget, which says so.
    if (config.fineTune.top > 0 && fineTuned < config.fineTune.epochs && state.history.length < planned) {
      const stoppedByBudget = state.auto?.budgetStop !== undefined;
      const stoppedEarly = (state.best?.wait ?? 0) >= config.earlyStopping.patience;
      expect(stoppedByBudget || stoppedEarly).toBe(true);
    }
    expect(state.durationMs / 1000).toBeLessThan(BUDGET + SLACK);
    console.log(
      `budget ${BUDGET}s: trained ${(state.durationMs / 1000).toFixed(1)} s (estimated ${state.request.auto!.estimatedSeconds} s), ` +
        `${state.history.length} epochs (${fineTuned} fine-tune)${state.auto?.budgetStop ? `; ${state.auto.budgetStop}` : ''}`,
    );

    // The run measured this machine: extraction, head rows and (when it fine-tuned) fine-tuning.
    const speed = (await readSpeeds(path.join(tmp, 'cache', 'speeds.json'))).speeds['nsfwjs-mobilenet-v2']!;
    expect(speed.extract?.onnxruntime ?? speed.extract?.tfjs).toMatchObject({ from: 'run' });
    expect(speed.headRows).toMatchObject({ from: 'run' });
    if (fineTuned > 0) expect(speed.fineTune).toMatchObject({ from: 'run' });
  });

  it('explicit flags win over auto, and --json carries the plan', async () => {
    const out = path.join(tmp, 'run-flags');
    const { stdout } = await run(
      process.execPath,
      [
        'bin/transfer-studio.js',
        'train',
        data,
        '--budget',
        '1m',
        '--epochs',
        '2',
        '--fine-tune',
        '0',
        '--augment',
        '1',
      ].concat(['--out', out, '--json']),
      { env, timeout: 300_000 },
    );
    const summary = JSON.parse(stdout) as {
      auto: { budgetSeconds: number; reason: string; fields: string[]; summary: string };
    };
    expect(summary.auto.budgetSeconds).toBe(60);
    expect(summary.auto.fields).toEqual(['base']);
    expect(summary.auto.summary).toMatch(
      /2 head epochs \(your flag\), augmentation ×1 \(your flag\), no fine-tuning \(your flag\)/,
    );
    const state = await readRunState(out);
    expect(state.request.config).toMatchObject({ epochs: 2, augment: 1, fineTune: { top: 0 } });
    expect(state.auto!.reason).toBe(summary.auto.reason);
  });

  it('refuses --budget with --resume: a resumed run keeps the budget it started with', async () => {
    const failed = run(process.execPath, ['bin/transfer-studio.js', 'train', '--resume', tmp, '--budget', '5m'], {
      env,
    });
    const error = (await failed.catch((e: { stderr: string; code: number }) => e)) as { stderr: string; code: number };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('--budget starts a new run; a resumed run keeps the budget it started with');
  });

  it.each(['5x', '90', 'soon'])('refuses --budget %j, quoting it', async (value) => {
    const failed = run(process.execPath, ['bin/transfer-studio.js', 'train', data, '--budget', value], { env });
    await expect(failed).rejects.toMatchObject({ code: 1 });
    const error = (await failed.catch((e: { stderr: string }) => e)) as { stderr: string };
    expect(error.stderr).toContain(`Invalid time budget ${JSON.stringify(value)}`);
  });
});
