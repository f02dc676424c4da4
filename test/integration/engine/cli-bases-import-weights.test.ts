/**
 * `transfer-studio bases import` on keras.applications weights-only files (the built CLI and engine from out/): the
 * issue's own example `xception_weights_tf_dim_ordering_tf_kernels_notop.h5` and a MobileNetV2 file import at their
 * keras.applications size and scaling with no option given; an unknown weights-only file fails naming it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKerasWeightsH5 } from '../../../main/engine/export/keras-weights-file';
import { buildMobileNetV2 } from '../../../main/engine/models/bases/architectures/mobilenet-v2';
import { buildXception } from '../../../main/engine/models/bases/architectures/xception';
import { BaseInfo } from '../../../shared/contract/models';
import { weightsOf } from '../../unit/main/engine/models/architectures/keras-applications-file';

const exec = promisify(execFile);
let tmp = '';
const cli = (...args: string[]) =>
  exec(process.execPath, ['bin/transfer-studio.js', 'bases', ...args], {
    env: { ...process.env, TRANSFER_STUDIO_CACHE: path.join(tmp, 'cache') },
  });

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-bases-import-weights-'));
  for (const [name, model] of [
    ['xception_weights_tf_dim_ordering_tf_kernels_notop.h5', buildXception()],
    ['mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_160_no_top.h5', buildMobileNetV2(0.5, 160)],
  ] as const) {
    await writeKerasWeightsH5(path.join(tmp, name), weightsOf(model));
    model.dispose();
  }
}, 120_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('transfer-studio bases import (keras.applications weights-only .h5)', () => {
  it("imports the issue's Xception file at 299×299, x/127.5-1, cut at its last layer", async () => {
    const file = path.join(tmp, 'xception_weights_tf_dim_ordering_tf_kernels_notop.h5');
    const { stdout } = await cli('import', file, '--json');
    const info = BaseInfo.parse(JSON.parse(stdout));
    expect(info).toMatchObject({
      id: 'imported-xception-weights-tf-dim-ordering-tf-kernels-notop',
      inputSize: 299,
      scaling: 'x/127.5-1',
      cutLayer: 'block14_sepconv2_act',
      featureShape: [10, 10, 2048],
    });
    const listed = await cli('--json');
    expect(JSON.parse(listed.stdout).map((b: { id: string }) => b.id)).toContain(info.id);
  }, 120_000);

  it('imports a MobileNetV2 0.5 file at the size its name gives', async () => {
    const file = path.join(tmp, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_160_no_top.h5');
    const { stdout } = await cli('import', file, '--list-layers');
    expect(stdout).toMatch(/input 160×160/);
    expect(stdout).toMatch(/out_relu\s+ReLU\s+\[None, 5, 5, 1280\]\s+← default/);
  }, 60_000);

  it('refuses a weights-only file of an unknown architecture, naming it', async () => {
    const file = path.join(tmp, 'unknown_weights.h5');
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'dense_1' })] });
    await writeKerasWeightsH5(file, weightsOf(other));
    other.dispose();
    const failure = (await cli('import', file).catch((e) => e)) as { code: number; stderr: string };
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toContain(`"${file}" holds only weights (no "model_config") of an architecture`);
  });
});
