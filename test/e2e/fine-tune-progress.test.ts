/**
 * The Train step shows the one-off step before fine-tuning (the frozen layers' output of every image stored once):
 * its phase label and image count while it runs, then the fine-tune epochs; screenshots of both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeClassImages } from './class-images';
import { newProjectUpToTrain } from './wizard';
import { artifacts, useE2eSession } from './helpers';

const session = useE2eSession({
  dataPrefix: 'ts-e2e-fine-tune-',
  async prepare(root) {
    await writeClassImages(path.join(root, 'data'), ['circles', 'squares', 'stripes'], 40);
    mkdirSync(path.join(root, 'projects'));
  },
});

describe('Train step: the step that prepares fine-tuning', () => {
  it('shows "Preparing fine-tuning" with its image count, then the fine-tune epochs', async () => {
    const { page, problems } = await session.openPage();
    await newProjectUpToTrain(page, 'Fine-tune');
    await page.locator('#step-title', { hasText: 'Train' }).waitFor();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('1');
    await page.getByRole('spinbutton', { name: 'Batch size' }).fill('16');
    await page.getByRole('spinbutton', { name: 'Unfreeze top blocks' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Unfreeze top blocks' }).press('Tab');
    await page.getByRole('spinbutton', { name: 'Fine-tune epochs' }).fill('1');
    await page.getByRole('button', { name: 'Start training' }).click();

    const prefix = page.getByTestId('train-prefix');
    await prefix.waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('train-phase').textContent()).toBe('Preparing fine-tuning');
    expect(await prefix.textContent()).toMatch(
      /^\d+ \/ \d+ images through the frozen layers \(once; every epoch reuses them\)$/,
    );
    await page
      .getByTestId('train-progress')
      .screenshot({ path: path.join(artifacts, 'fine-tune-prefix-step.png'), animations: 'disabled' });

    await page.getByTestId('train-phase').getByText('Fine-tuning', { exact: true }).waitFor({ timeout: 120_000 });
    await page
      .getByTestId('train-progress')
      .screenshot({ path: path.join(artifacts, 'fine-tune-epochs.png'), animations: 'disabled' });
    await page.getByTestId('train-result').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('train-history').locator('tbody tr').count()).toBe(2);
    expect(problems).toEqual([]);
  });
});
