/**
 * Importing a Keras .h5 base from the Base step in Chromium (browser mode): the folder browser picks a folder
 * holding a keras.applications-shaped .h5 file (MobileNetV2-like blocks, written by our writer), the panel says it
 * is a Keras model and asks for the scaling the file cannot tell, and the import adds the base to the list.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { writeKerasModel } from '../../main/engine/export/keras-h5';
import { mobileNetLike } from '../unit/main/engine/export/mobilenet-like';
import { artifacts, chooseRoot, useE2eSession } from './helpers';

const session = useE2eSession({
  dataPrefix: 'ts-e2e-keras-import-',
  classes: ['cats', 'dogs'],
  async prepare(root) {
    await tf.setBackend('cpu');
    // Inside a class folder: a folder of its own beside cats/ and dogs/ would be a third (empty) class.
    mkdirSync(path.join(root, 'cats', 'keras-models'));
    const model = mobileNetLike(32, { head: false });
    await writeKerasModel(model, 'x', path.join(root, 'cats', 'keras-models', 'mobilenet_like_notop.h5'));
    model.dispose();
  },
});

describe('Keras .h5 import in the Base step', () => {
  it('inspects the .h5 of the chosen folder, asks for the scaling, and imports it as a base', async () => {
    const { page, problems } = await session.openPage();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await chooseRoot(page);
    await page.getByRole('button', { name: 'Next: choose a base' }).click();
    await page.locator('#step-title', { hasText: 'Base' }).waitFor();

    await page.getByRole('button', { name: 'Import a model folder…' }).click();
    await page.getByTestId('subfolders').getByText('cats').click();
    await page.getByTestId('subfolders').getByText('keras-models').click();
    await page.getByRole('button', { name: 'Use this folder' }).click();

    const panel = page.getByTestId('import-panel');
    await panel.getByText('Keras .h5 model · input 32 × 32 px').waitFor();
    expect(await panel.getByRole('heading').textContent()).toBe('Import mobilenet_like_notop.h5');
    expect(await panel.locator('select').first().inputValue()).toBe('out_relu');
    const importButton = panel.getByRole('button', { name: 'Import base' });
    expect(await importButton.isDisabled()).toBe(true); // no scaling chosen yet
    await page.mouse.move(0, 0);
    await panel.screenshot({ path: path.join(artifacts, 'base-import-keras-panel.png') });

    await panel.locator('select').nth(1).selectOption('x/127.5-1');
    expect(await importButton.isDisabled()).toBe(false);
    await importButton.click();
    const imported = page.locator('section', { has: page.locator('#group-imported') });
    await imported.getByText('mobilenet_like_notop').first().waitFor();
    await page.mouse.move(0, 0);
    await imported.screenshot({ path: path.join(artifacts, 'base-import-keras-done.png') });
    const info = (await session.server.engine.call('models.baseInfo', { base: 'imported-mobilenet-like-notop' })) as {
      scaling: string;
      featureShape: number[];
    };
    expect(info).toMatchObject({ scaling: 'x/127.5-1', featureShape: [16, 16, 12] });
    expect(problems).toEqual([]);
  });
});
