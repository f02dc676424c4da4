/**
 * Issue 14 in Chromium: the Base step recommends one base with its reason (a "Recommended" badge on its card), every
 * card says where the base comes from in plain words and its speed on this computer ("Not measured yet — Measure",
 * then the probe's figure); the Train step's Auto panel shows "Auto (budget …)" with the one sentence, fields say
 * whether Auto or the user set them, and an invalid budget is refused, quoted. Screenshots in test-artifacts/e2e.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunState } from '../../main/engine/run-folder/run-file';
import { artifacts, chooseRoot, useE2eSession } from './helpers';

const session = useE2eSession({ dataPrefix: 'ts-e2e-auto-', classes: ['cats', 'dogs'], perClass: 6 });

describe('auto settings and base recommendation in Chromium', () => {
  it('recommends a base, shows speeds and origins, and chooses training settings from a budget', async () => {
    const { page, problems } = await session.openPage();
    await page.setViewportSize({ width: 1280, height: 1500 });
    await chooseRoot(page);
    await page.getByRole('button', { name: 'Next: choose a base' }).click();
    await page.locator('#step-title', { hasText: 'Base' }).waitFor();

    // One recommendation, with its reason; its card carries the badge.
    const banner = page.getByTestId('base-recommendation');
    await banner.waitFor();
    const reason = (await banner.textContent()) ?? '';
    expect(reason).toMatch(/Recommended/);
    expect(reason).toMatch(/ImageNet|offline/);
    await expect.poll(() => page.getByTestId('recommended-badge').count()).toBe(1);
    const recommendedCard = page.locator('li', { has: page.getByTestId('recommended-badge') });
    const recommendedName = (await recommendedCard.locator('.name').textContent())!;
    expect(reason).toContain(recommendedName);

    // Plain-words origin and speed on the bundled MobileNetV2's card.
    const card = page.getByTestId('base-card-nsfwjs-mobilenet-v2');
    await card
      .getByText('NSFW-detection MobileNetV2 by nsfwjs, fine-tuned on 5 classes of web images; works offline')
      .waitFor();
    const speed = card.getByTestId('base-speed');
    await speed.getByText('Not measured yet').waitFor();
    const catalog = page.getByTestId('base-card-tm-mobilenet-v2-1.00');
    await catalog.getByText(/ImageNet weights from Google's Teachable Machine, Apache-2.0 licence/).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'auto-base-step-before-measure.png') });

    await speed.getByRole('button', { name: 'Measure' }).click();
    await speed.getByText('Measuring on this computer…').waitFor();
    await speed.getByText(/^About [\d,.]+ images\/s on this computer; fine-tuning about [\d.,]+ images\/s$/).waitFor({
      timeout: 120_000,
    });
    expect(await speed.locator('span[title]').getAttribute('title')).toMatch(/^measured by a quick probe, /);
    await page.screenshot({ path: path.join(artifacts, 'auto-base-step-measured.png') });

    await card.locator('label').click();
    await page.getByRole('button', { name: 'Next: design the head' }).click();
    await page.getByRole('button', { name: 'Next: train' }).click();

    // Auto is off until turned on; then it fills the fields and says why in one sentence.
    const panel = page.getByTestId('auto-panel');
    await panel.getByText(/Turn on to choose epochs/).waitFor();
    await panel.getByRole('checkbox', { name: 'Auto' }).check();
    await panel.getByText('Auto (budget 5 min)').waitFor();
    const sentence = page.getByTestId('auto-sentence');
    await sentence
      .getByText(
        /fits your 5-minute budget with 12 images; augmentation ×4 because the smallest class has under 50 training images\./,
      )
      .waitFor();
    const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true });
    expect(await page.getByRole('spinbutton', { name: 'Augmented copies' }).inputValue()).toBe('4');
    await page.getByText(/^Set by Auto\. Passes over the training images/).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'auto-train-step.png') });

    // A shorter budget: the sentence follows; editing Epochs makes it manual and Auto leaves it alone.
    await epochs.fill('3');
    await page.getByText(/^Set by hand\. Passes over the training images/).waitFor();
    await panel.getByRole('textbox', { name: 'Time budget' }).fill('90s');
    await panel.getByText('Auto (budget 90 s)').waitFor();
    await sentence.getByText(/your 90-second budget with 12 images/).waitFor();
    expect(await epochs.inputValue()).toBe('3');
    await page.getByTestId('auto-by-hand').getByText("Set by hand instead: epochs (the estimate is Auto's).").waitFor();
    await page.getByText(/^Set by Auto\. Variants per training image/).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'auto-train-step-manual-field.png') });

    await panel.getByRole('textbox', { name: 'Time budget' }).fill('soon');
    await sentence
      .getByText('Invalid time budget "soon": expected a number with a unit, e.g. 90s, 5m or 1h.')
      .waitFor();
    await page.screenshot({ path: path.join(artifacts, 'auto-train-step-invalid-budget.png') });

    // A short run with Auto on: run.json records the budget, the sentence and the fields Auto still set.
    await panel.getByRole('textbox', { name: 'Time budget' }).fill('2m');
    await panel.getByText('Auto (budget 2 min)').waitFor();
    await page.getByRole('spinbutton', { name: 'Augmented copies' }).fill('0');
    await page.getByRole('spinbutton', { name: 'Unfreeze top blocks' }).fill('0');
    await page.getByRole('spinbutton', { name: 'Unfreeze top blocks' }).blur();
    const said = (await sentence.textContent())!.trim();
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
    const runs = path.join(process.env.TRANSFER_STUDIO_DATA!, 'runs');
    const [runDir] = readdirSync(runs);
    const state = await readRunState(path.join(runs, runDir!));
    expect(state.auto!.budgetSeconds).toBe(120);
    expect(state.auto!.reason).toMatch(/^Fine-tuning the top 1 block for 5 epochs fits your 2-minute budget/);
    expect(said.startsWith(state.auto!.reason)).toBe(true);
    expect(state.auto!.fields).toEqual(['fineTune.epochs', 'fineTune.learningRate']);
    expect(state.request.config).toMatchObject({ epochs: 3, augment: 0, fineTune: { top: 0 } });
    await page.screenshot({ path: path.join(artifacts, 'auto-train-step-trained.png') });
    expect(problems).toEqual([]);
  });
});
