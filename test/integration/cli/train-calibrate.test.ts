/**
 * `transfer-studio train` calibrates by default (T fitted on validation, recorded in run.json) and keeps raw
 * probabilities with `--no-calibrate`. Built CLI, real engine process, MobileNetV2 on wasm, sharp-made images.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourImages } from '../../fixtures/colour-images';
import { readRunState } from '../../../main/engine/run-folder/run-file';

const run = promisify(execFile);

describe('transfer-studio train --no-calibrate', () => {
  let tmp = '';
  let data = '';
  const train = (out: string, extra: string[]) =>
    run(
      process.execPath,
      ['bin/transfer-studio.js', 'train', data, '--out', out, '--cache', path.join(tmp, 'cache'), '--epochs', '2']
        .concat(extra)
        .concat(['--json']),
      { env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm', TRANSFER_STUDIO_CONFIG_DIR: path.join(tmp, 'cfg') } },
    );

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-calibrate-'));
    data = path.join(tmp, 'images');
    await writeColourImages(path.join(data, 'red'), { r: 210, g: 40, b: 30 }, 8);
    await writeColourImages(path.join(data, 'blue'), { r: 30, g: 50, b: 210 }, 8);
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('calibrates by default; --no-calibrate records "off" in the config and run.json', async () => {
    await train(path.join(tmp, 'calibrated'), []);
    const calibrated = await readRunState(path.join(tmp, 'calibrated'));
    expect(calibrated.request.config).not.toHaveProperty('calibrate'); // absent: on
    expect(calibrated.calibration).toMatchObject({ status: 'applied', method: 'temperature', layer: 'predictions' });
    await train(path.join(tmp, 'raw'), ['--no-calibrate']);
    const raw = await readRunState(path.join(tmp, 'raw'));
    expect(raw.request.config.calibrate).toBe(false);
    expect(raw.calibration).toEqual({ status: 'off', reason: expect.stringContaining('--no-calibrate') });
    expect(raw.history).toEqual(calibrated.history);
  });
});
