/**
 * Issue 12 #4: a stopped run whose images changed is not resumed silently. The run records what it
 * trained on (run.json `data`); after deleting images, `train --resume` is refused naming the change
 * per class and split, the run keeps its status, and `--allow-changed-data` goes on and records it.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import type { TrainProgress } from '../../../shared/contract/training';

const run = promisify(execFile);

describe('resume after images were deleted', () => {
  let tmp = '';
  let data = '';
  const log = new PassThrough();
  log.resume();
  const engine = new EngineLink(forkEngine({ env: { TRANSFER_STUDIO_BACKEND: 'wasm' }, log }));

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'resume-changed-'));
    data = path.join(tmp, 'data');
    await cp(await fashionMnistFolders({ perClass: 20, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 300 }), data, {
      recursive: true,
    });
  });

  afterAll(async () => {
    await engine.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('is refused with what changed, and goes on only with --allow-changed-data', async () => {
    const runDir = path.join(tmp, 'run');
    const controller = new AbortController();
    const cancelled = await engine
      .call(
        'training.train',
        { dirs: [data], runDir, cacheDir: path.join(tmp, 'cache'), config: { epochs: 6, batchSize: 8, seed: 3 } },
        {
          signal: controller.signal,
          onProgress: (raw) => {
            const p = raw as unknown as TrainProgress;
            if (p.phase === 'head' && (p.epoch ?? 0) >= 1) controller.abort();
          },
        },
      )
      .catch((e: unknown) => e);
    expect(cancelled).toMatchObject({ code: 'CANCELLED' });
    const before = await readRunState(runDir);
    expect(before.status).toBe('cancelled');
    const bag = before.data!.classes.find((c) => c.name === 'Bag')!;
    expect(bag.train + bag.validation + bag.test).toBe(20);

    // Delete 5 of the 20 Bag images.
    const bagDir = path.join(data, 'Bag');
    const files = (await readdir(bagDir)).filter((f) => f.endsWith('.png')).sort();
    for (const file of files.slice(0, 5)) await rm(path.join(bagDir, file));

    const refused = await run(process.execPath, ['bin/transfer-studio.js', 'train', '--resume', runDir], {
      env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).not.toBe(0);
    const stderr = (refused as { stderr: string }).stderr;
    expect(stderr).toMatch(/The images changed since the run/);
    expect(stderr).toMatch(/"Bag": (train|validation|test) \d+ → \d+/);
    expect(stderr).toMatch(/--allow-changed-data/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    const after = await readRunState(runDir);
    expect(after.status).toBe('cancelled'); // refused: left as it was
    expect(after.history).toEqual(before.history);
    expect(after.data).toEqual(before.data);

    const { stdout } = await run(
      process.execPath,
      ['bin/transfer-studio.js', 'train', '--resume', runDir, '--allow-changed-data', '--json'],
      { env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm' } },
    );
    const result = JSON.parse(stdout) as {
      resumed: boolean;
      trainImages: number;
      valImages: number;
      testImages: number;
      warnings: string[];
    };
    expect(result.resumed).toBe(true);
    expect(result.trainImages + result.valImages + result.testImages).toBe(55);
    expect(result.warnings.join('\n')).toMatch(/Resumed on changed images/);
    const done = await readRunState(runDir);
    expect(done.status).toBe('completed');
    expect(done.dataChanges).toHaveLength(1);
    expect(done.dataChanges![0]!.changes.join('; ')).toMatch(/"Bag"/);
    const bagNow = done.data!.classes.find((c) => c.name === 'Bag')!;
    expect(bagNow.train + bagNow.validation + bagNow.test).toBe(15);
  }, 300_000);
});
