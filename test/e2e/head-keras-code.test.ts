/**
 * The Head step's "Keras code" view in Chromium: the generated Python follows the head edits live, with the
 * class count the data gives, and the Copy button puts exactly the shown code on the clipboard.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifacts, chooseRoot, useE2eSession } from './helpers';

const session = useE2eSession({ dataPrefix: 'ts-e2e-kc-', classes: ['cats', 'dogs'] });

describe('Keras code view of the Head step', () => {
  it('shows the base, freezing and Sequential head as Keras code, live and copyable', async () => {
    const { page, problems } = await session.openPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await chooseRoot(page);
    await page.getByRole('button', { name: 'Next: choose a base' }).click();
    await page.getByTestId('base-card-nsfwjs-mobilenet-v2').locator('label').click();
    await page.getByRole('button', { name: 'Next: design the head' }).click();

    const code = page.getByLabel('Keras code of base and head');
    await code.getByText('layers.Dense(2, activation="softmax", name="predictions")').waitFor();
    const text = (await code.textContent())!;
    expect(text).toContain('base = keras.models.load_model("base.h5", compile=False)');
    expect(text).toContain('base.trainable = False');
    expect(text).toContain('layers.Dense(128, activation="relu", name="head_dense_1"),');
    expect(text).toContain('layers.Dropout(0.2, name="head_dropout_1"),');
    expect(text).toContain('inputs = keras.Input(shape=(224, 224, 3), name="pixels")');
    expect(text).toContain('features = base(inputs, training=False)');

    // Live: a new Dense layer shows up in the code; the output keeps the data's two classes.
    await page.getByRole('button', { name: 'Add a layer' }).click();
    await page.getByRole('menuitem', { name: 'Dense' }).click();
    await code.getByText('layers.Dense(64, activation="relu", name="head_dense_2")').waitFor();
    await code.getByText('layers.Dense(2, activation="softmax", name="predictions")').waitFor();

    // An invalid head has no code to show.
    await page.getByRole('spinbutton', { name: 'Units of head_dense_2' }).fill('0');
    await page.getByText('Fix the head to see its Keras code.').waitFor();
    await page.getByRole('spinbutton', { name: 'Units of head_dense_2' }).fill('32');
    await code.getByText('layers.Dense(32, activation="relu", name="head_dense_2")').waitFor();

    await page.getByRole('button', { name: 'Copy the Keras code' }).click();
    await page.getByRole('button', { name: 'Copy the Keras code' }).getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.textContent());

    const section = page.locator('section', { has: page.locator('#keras-code-title') });
    await section.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await section.screenshot({ path: path.join(artifacts, 'head-keras-code.png') });
    await page.screenshot({ path: path.join(artifacts, 'head-step-keras-code.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
