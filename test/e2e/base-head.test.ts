import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../shared/contract/models';
import { defaultHeadSpec, type HeadSpec } from '../../shared/layer-spec';
import { artifacts, chooseRoot, useE2eSession } from './helpers';

const session = useE2eSession({ dataPrefix: 'ts-e2e-bh-', classes: ['cats', 'dogs'] });

/** The app with data chosen, on the Base step. */
async function openBaseStep(): Promise<{ page: Page; problems: string[] }> {
  const opened = await session.openPage();
  await chooseRoot(opened.page);
  await opened.page.getByRole('button', { name: 'Next: choose a base' }).click();
  await opened.page.locator('#step-title', { hasText: 'Base' }).waitFor();
  return opened;
}

/** What the engine (through the server) says for a head on the bundled MobileNetV2 with 2 classes. */
function summaryOf(head: HeadSpec): Promise<ModelSummary> {
  return session.server.engine.call('models.summary', {
    base: 'nsfwjs-mobilenet-v2',
    head,
    classes: 2,
  }) as Promise<ModelSummary>;
}

const fmt = (n: number) => n.toLocaleString('en-US');

describe('Base and Head steps in Chromium', () => {
  it('lists the bundled bases, and the head summary of MobileNetV2 follows the edits', async () => {
    const { page, problems } = await openBaseStep();
    await page.setViewportSize({ width: 1280, height: 1400 }); // the page scrolls inside the app: show more of it
    const bundled = page.locator('section', { has: page.locator('#group-bundled') });
    const mobilenet = bundled.getByRole('radio', { name: /MobileNetV2 224/ });
    const inception = bundled.getByRole('radio', { name: /InceptionV3 299/ });
    await mobilenet.waitFor({ state: 'attached' });
    expect(await inception.count()).toBe(1);
    const card = page.getByTestId('base-card-nsfwjs-mobilenet-v2');
    await card.getByText('nsfwjs').first().waitFor(); // the description credits the source
    await card.getByText(/MIT/).first().waitFor(); // the licence arrives with the base's details
    expect(await card.textContent()).toMatch(/224 × 224 px[\s\S]*1,280[\s\S]*MIT/);
    expect(await page.getAttribute('#step-tab-head', 'aria-disabled')).toBe('true');

    await card.locator('label').click();
    expect(await mobilenet.isChecked()).toBe(true);
    expect(await page.getAttribute('#step-tab-head', 'aria-disabled')).toBe('false');
    await page.screenshot({ path: path.join(artifacts, 'base-step.png') });

    await page.getByRole('button', { name: 'Next: design the head' }).click();
    const total = page.getByTestId('total-params');
    const expected = await summaryOf(defaultHeadSpec());
    expect(expected.nonTrainableParams).toBe(2_257_984); // MobileNetV2 without its top, frozen
    await page.getByTestId('model-summary').getByText(fmt(expected.totalParams)).waitFor();
    expect(await total.textContent()).toBe(fmt(expected.totalParams));
    expect(await page.getByTestId('trainable-params').textContent()).toBe(fmt(expected.trainableParams));
    expect(await page.getByTestId('non-trainable-params').textContent()).toBe('2,257,984');

    // The number of classes comes from the Data step: shown, not an editable box that could disagree.
    expect(await page.getByTestId('head-classes').textContent()).toMatch(/2\s+classes, from the Data step/);
    expect(await page.getByRole('spinbutton', { name: 'Number of classes' }).count()).toBe(0);

    // The menu lists every kind with its help; what cannot follow a flat feature is disabled, saying why.
    await page.getByRole('button', { name: 'Add a layer' }).click();
    const gap = page.getByRole('menuitem', { name: 'GlobalAveragePooling2D' });
    expect(await gap.getAttribute('aria-disabled')).toBe('true');
    expect(await gap.textContent()).toContain(
      'Needs a spatial feature map (height × width × channels); here the input is a flat feature of 128 values.',
    );
    expect(await page.getByRole('menuitem', { name: 'Flatten' }).getAttribute('aria-disabled')).toBe('true');
    expect(await page.getByRole('menuitem', { name: 'Dense' }).getAttribute('aria-disabled')).toBeNull();
    await page.screenshot({ path: path.join(artifacts, 'head-kind-menu.png') });

    // Add a Dense layer (the menu's default: 64 units, relu): the totals follow.
    await page.getByRole('menuitem', { name: 'Dense' }).click();
    const added = await summaryOf({
      layers: [...defaultHeadSpec().layers, { kind: 'dense', units: 64, activation: 'relu' }],
    });
    expect(added.totalParams).toBeGreaterThan(expected.totalParams);
    await page.getByTestId('total-params').getByText(fmt(added.totalParams), { exact: true }).waitFor();
    expect(await page.getByTestId('trainable-params').textContent()).toBe(fmt(added.trainableParams));
    expect(await page.getByTestId('head-row').count()).toBe(3);
    await page.getByRole('button', { name: 'base (' }).click(); // expand the base rows…
    await page.getByTestId('model-summary').getByText('Conv1_relu').waitFor();
    await page.getByRole('button', { name: 'base (' }).click(); // …and fold them again
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(artifacts, 'head-step.png') });

    // Units 0 on the new Dense: the validator's message, quoting the value, next to the row.
    const units = page.getByRole('spinbutton', { name: 'Units of head_dense_2' });
    await units.fill('0');
    const row = page.getByTestId('head-row').nth(2);
    await row.getByRole('alert').getByText('expected units to be an integer > 0, received 0').waitFor();
    expect(await units.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getAttribute('#step-tab-train', 'aria-disabled')).toBe('true');
    // "Next: train" stays, disabled, saying why.
    const next = page.getByRole('button', { name: 'Next: train' });
    expect(await next.isDisabled()).toBe(true);
    expect(await page.getByTestId('next-train-reason').textContent()).toMatch(/^Fix the head first: .*received 0/);
    await page.screenshot({ path: path.join(artifacts, 'head-step-error.png') });

    // Fixed again, then moved up with the keyboard: focus follows the layer.
    await units.fill('64');
    await row.getByRole('alert').waitFor({ state: 'detached' });
    expect(await next.isDisabled()).toBe(false);
    expect(await page.getByTestId('next-train-reason').count()).toBe(0);
    await units.press('Alt+ArrowUp');
    const kinds = () => page.getByTestId('head-row').locator('.head-kind').allTextContents();
    expect(await kinds()).toEqual(['Dense', 'Dense', 'Dropout']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Units of head_dense_2');
    await page.getByTestId('total-params').getByText(fmt(added.totalParams), { exact: true }).waitFor(); // same layers, same count

    // Insert above the first layer from the row's menu, pop the last, then reset to the default head.
    await page.getByRole('button', { name: 'Insert a layer above head_dense_1' }).click();
    await page.getByRole('menuitem', { name: 'BatchNormalization' }).click();
    expect(await kinds()).toEqual(['BatchNorm', 'Dense', 'Dense', 'Dropout']);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(artifacts, 'head-step-batchnorm.png') });
    await page.getByRole('button', { name: 'Pop last layer' }).click();
    expect(await kinds()).toEqual(['BatchNorm', 'Dense', 'Dense']);
    await page.getByRole('button', { name: 'Reset to default' }).click();
    expect(await kinds()).toEqual(['Dense', 'Dropout']);
    await page.getByTestId('total-params').getByText(fmt(expected.totalParams), { exact: true }).waitFor();

    // Unfreezing the top block of the base: the trainable count is the engine's for that policy.
    await page.getByRole('combobox', { name: 'Which base layers train' }).selectOption('topBlocks');
    const unfrozen = (await session.server.engine.call('models.summary', {
      base: 'nsfwjs-mobilenet-v2',
      head: defaultHeadSpec(),
      classes: 2,
      freeze: { mode: 'topBlocks', n: 1 },
    })) as ModelSummary;
    expect(unfrozen.trainableParams).toBeGreaterThan(expected.trainableParams);
    await page.getByTestId('trainable-params').getByText(fmt(unfrozen.trainableParams), { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows a catalog download failing offline in plain words', async () => {
    const { page, problems } = await openBaseStep();
    const card = page.getByTestId('base-card-tm-mobilenet-v2-0.35');
    await card.waitFor();
    expect(await card.getByRole('radio').isDisabled()).toBe(true);
    await card.getByRole('button', { name: /^Download / }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('Download failed');
    expect(text).toMatch(/offline|reach|network|connection/i);
    await card.getByRole('button', { name: 'Try again' }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'base-download-offline.png') });
    // The console may log the failed request; page errors are what must not happen.
    expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
  });
});
