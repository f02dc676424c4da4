/**
 * The budget check before fine-tuning counts the one-off prepare step (training + validation images through the
 * frozen layers, at the measured extraction speed) as well as one epoch at the measured fine-tuning speed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordSpeed } from '../../../../../main/engine/models/speed/speed-store';
import { fineTuneSkippedForBudget } from '../../../../../main/engine/training/run-budget';
import type { RunSession } from '../../../../../main/engine/training/run-phases';

let dir = '';
const saved = process.env.TRANSFER_STUDIO_CACHE;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'run-budget-'));
  process.env.TRANSFER_STUDIO_CACHE = dir;
  // 100 images/s through the base (ONNX Runtime), 50 images/s fine-tuning one block on stored activations (the run
  // below unfreezes 2: 1.4× the time per image, AUTO_TABLE.fineTune.costPerExtraBlock).
  await recordSpeed('base-x', 'extract.onnxruntime', 100, 'run');
  await recordSpeed('base-x', 'fineTune', 50, 'run');
});
afterEach(async () => {
  if (saved === undefined) delete process.env.TRANSFER_STUDIO_CACHE;
  else process.env.TRANSFER_STUDIO_CACHE = saved;
  await rm(dir, { recursive: true, force: true });
});

/** A session at the start of fine-tuning: 1,000 training and 200 validation images, `usedSeconds` spent. */
function session(budgetSeconds: number, usedSeconds: number): RunSession {
  const auto = { budgetSeconds };
  return {
    state: { request: { auto }, durationMs: usedSeconds * 1000, fineTuneStartEpoch: 3, history: [{}, {}, {}] },
    base: { info: { id: 'base-x' } },
    data: { train: new Array(1000), validation: new Array(200) },
    config: { fineTune: { top: 2 } },
  } as unknown as RunSession;
}

describe('fineTuneSkippedForBudget', () => {
  it('fits when the prepare step (12 s) + one epoch of 2 blocks (28 s) + the reserve (5 s) fit', async () => {
    expect(await fineTuneSkippedForBudget(session(50, 2))).toBeUndefined();
  });

  it('skips, saying how long the first epoch takes with the prepare step, when only the epoch alone would fit', async () => {
    const s = session(40, 2);
    const why = await fineTuneSkippedForBudget(s);
    expect(why).toMatch(
      /^Fine-tuning was skipped to stay within the .* budget \(2 s used, its first epoch takes about 40 s\)\.$/,
    );
    expect(s.state.auto?.budgetStop).toBe(why);
  });
});
