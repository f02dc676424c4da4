/**
 * `transfer-studio bases import` on Keras .h5 files (the built CLI and engine from out/): layers listed, the
 * scaling asked when the file cannot tell (non-zero exit, one line naming the file), the import recorded in the
 * cache given by TRANSFER_STUDIO_CACHE, and a non-Keras file refused naming it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKerasModel } from '../../../main/engine/export/keras-h5';
import { BaseInfo } from '../../../shared/contract/models';
import { mobileNetLike } from '../../unit/main/engine/export/mobilenet-like';

const exec = promisify(execFile);
let tmp = '';
let file = '';
const cli = (...args: string[]) =>
  exec(process.execPath, ['bin/transfer-studio.js', 'bases', ...args], {
    env: { ...process.env, TRANSFER_STUDIO_CACHE: path.join(tmp, 'cache') },
  });

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-bases-import-'));
  file = path.join(tmp, 'mobilenet_like_notop.h5');
  const model = mobileNetLike(32, { head: false });
  await writeKerasModel(model, 'x', file);
  model.dispose();
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('transfer-studio bases import (Keras .h5)', () => {
  it('--list-layers shows the layers and the default cut', async () => {
    const { stdout } = await cli('import', file, '--list-layers');
    expect(stdout).toMatch(/^Keras \.h5 model, input 32×32; layers it can be cut at:/);
    expect(stdout).toMatch(/out_relu\s+ReLU\s+\[None, 16, 16, 12\]\s+← default/);
  });

  it('asks for --scaling when the file cannot tell', async () => {
    const failure = await cli('import', file).catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).not.toBe(0);
    expect((failure as { stderr: string }).stderr).toContain(
      `transfer-studio: "${file}" does not say how its input pixels are scaled`,
    );
  });

  it('imports with --scaling and lists the base', async () => {
    const { stdout } = await cli('import', file, '--scaling', 'x/127.5-1', '--cut-layer', 'block_1_add', '--json');
    const info = BaseInfo.parse(JSON.parse(stdout));
    expect(info).toMatchObject({
      id: 'imported-mobilenet-like-notop',
      scaling: 'x/127.5-1',
      cutLayer: 'block_1_add',
      featureShape: [16, 16, 8],
    });
    const listed = await cli('--json');
    expect(JSON.parse(listed.stdout).map((b: { id: string }) => b.id)).toContain(info.id);
  });

  it('refuses a file that is not HDF5, naming it', async () => {
    const fake = path.join(tmp, 'fake.h5');
    await writeFile(fake, 'not a model');
    const failure = (await cli('import', fake, '--scaling', 'x').catch((e) => e)) as { code: number; stderr: string };
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toContain(`"${fake}" cannot be read as a Keras .h5 model: it is not an HDF5 file`);
  });
});
