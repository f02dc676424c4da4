/**
 * A training job in a real engine process is killed (SIGKILL) in the middle of a fine-tuning
 * epoch; `training.resume` in a fresh engine continues from the last per-epoch checkpoint and
 * finishes with the epochs before the kill unchanged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import type { TrainProgress, TrainResponse } from '../../../shared/contract/training';

describe('resume after the engine is killed mid-epoch', () => {
  let tmp = '';
  let dir = '';
  const log = new PassThrough();
  log.resume();
  const host = new EngineLink(forkEngine({ env: { TRANSFER_STUDIO_BACKEND: 'wasm' }, log }));

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'resume-kill-'));
    dir = await fashionMnistFolders({ perClass: 24, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 200 });
  });

  afterAll(async () => {
    await host.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('continues from the last checkpoint and completes', async () => {
    const runDir = path.join(tmp, 'run');
    const request = {
      dirs: [dir],
      runDir,
      cacheDir: path.join(tmp, 'cache'),
      config: { epochs: 2, seed: 4, batchSize: 8, fineTune: { top: 1, epochs: 2 } },
    };
    let killedAt: TrainProgress | undefined;
    const error = await host
      .call('training.train', request, {
        onProgress: (raw) => {
          const p = raw as unknown as TrainProgress;
          // Head epochs are 0–1, fine-tuning 2–3: kill inside epoch 3, after epoch 2's checkpoint.
          if (p.phase === 'fine-tune' && p.epoch === 3 && (p.batch ?? 0) >= 2 && !killedAt) {
            killedAt = p;
            process.kill(host.pid!, 'SIGKILL');
          }
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENGINE_CRASHED' });
    expect(killedAt).toBeDefined();
    const killed = await readRunState(runDir);
    expect(killed.status).toBe('running'); // nobody got to say otherwise
    expect(killed.checkpoint).toMatchObject({ phase: 'fine-tune', epoch: 2 });
    expect(killed.history.map((h) => h.epoch)).toEqual([0, 1, 2]);

    const resumed = (await host.call('training.resume', { runDir })) as TrainResponse;
    expect(resumed.resumed).toBe(true);
    expect(resumed.history.map((h) => `${h.epoch}:${h.phase}`)).toEqual([
      '0:head',
      '1:head',
      '2:fine-tune',
      '3:fine-tune',
    ]);
    expect(resumed.history.slice(0, 3)).toEqual(killed.history);
    expect(resumed.cache.misses).toBe(0); // features came from the cache written before the kill
    expect(resumed.valAccuracy).toBeGreaterThan(0.6); // 3 classes (chance 0.33), only 2 head epochs
    expect((await readRunState(runDir)).status).toBe('completed');
  });
});
