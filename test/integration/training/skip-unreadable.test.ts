/**
 * Issue 12 #9: `features` skips and reports a truncated image as `train` does, and a file deleted while
 * `train` extracts features is skipped and reported (response, run.json) while the run carries on.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineLink } from '../../../main/engine-link/engine-link';
import { forkEngine } from '../../../main/engine-link/fork';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { solid } from '../../fixtures/bad-inputs';
import type { TrainProgress, TrainResponse } from '../../../shared/contract/training';

const exec = promisify(execFile);

describe('images that cannot be read at extraction time', () => {
  let tmp = '';
  let data = '';
  const log = new PassThrough();
  log.resume();
  const engine = new EngineLink(forkEngine({ env: { TRANSFER_STUDIO_BACKEND: 'wasm' }, log }));

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'skip-unreadable-'));
    data = path.join(tmp, 'data');
    const source = await fashionMnistFolders({ perClass: 16, classes: ['Trouser', 'Bag', 'Sneaker'], offset: 500 });
    await cp(source, data, { recursive: true });
  });

  afterAll(async () => {
    await engine.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('features skips a truncated image, reports it and writes the others', async () => {
    const folder = path.join(tmp, 'features-in');
    await cp(path.join(data, 'Bag'), folder, { recursive: true });
    const jpeg = await solid(64, 64, 9, 'jpeg');
    await writeFile(path.join(folder, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    const out = path.join(tmp, 'features.npy');
    const { stdout } = await exec(
      process.execPath,
      ['bin/transfer-studio.js', 'features', folder, '--base', 'nsfwjs-mobilenet-v2', '--out', out, '--json'],
      { env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm' } },
    );
    const result = JSON.parse(stdout) as {
      count: number;
      shape: number[];
      skipped: { path: string; message: string }[];
    };
    expect(result.count).toBe(16);
    expect(result.shape).toEqual([16, 1280]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]!.path).toBe(path.join(folder, 'truncated.jpg'));
    expect(result.skipped[0]!.message).toMatch(/truncated\.jpg/);
  }, 180_000);

  it('train skips a file deleted while features are extracted and carries on', async () => {
    const runDir = path.join(tmp, 'run');
    const victimDir = path.join(data, 'Sneaker');
    const victim = path.join(victimDir, (await readdir(victimDir)).sort().at(-1)!);
    let deleted = false;
    const result = (await engine.call(
      'training.train',
      { dirs: [data], runDir, cacheDir: path.join(tmp, 'cache'), config: { epochs: 2, batchSize: 8, seed: 5 } },
      {
        onProgress: (raw) => {
          const p = raw as unknown as TrainProgress;
          if (p.phase === 'extract' && !deleted) {
            deleted = true;
            void rm(victim);
          }
        },
      },
    )) as TrainResponse;
    expect(deleted).toBe(true);
    expect(result.skipped).toEqual([expect.objectContaining({ path: victim, kind: 'unreadable' })]);
    expect(result.trainImages + result.valImages + result.testImages!).toBe(47);
    const state = await readRunState(runDir);
    expect(state.status).toBe('completed');
    expect(state.skipped).toEqual(result.skipped);
  }, 300_000);
});
