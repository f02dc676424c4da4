/**
 * Steps through the wizard the way a user does, for the e2e tests that need a project with a trained run.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Chooses a sub-folder of the server's one root in the open folder browser (titled `title`). */
export async function pickInBrowser(page: Page, title: string, folder: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.getByTestId('subfolders').getByText(folder, { exact: true }).click();
  await dialog.getByRole('button', { name: 'Up one folder' }).waitFor();
  await dialog.getByText('No sub-folders here.').or(dialog.getByTestId('subfolders')).first().waitFor();
  await dialog.locator('[aria-current=location]', { hasText: folder }).waitFor();
  await dialog.getByRole('button', { name: 'Use this folder' }).click();
}

/**
 * Creates the project `name` in the root's `projects` folder and adds the root's `data` folder; returns once the
 * scan lets the user go on to the Base step.
 */
export async function newProjectWithData(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'No project' }).click();
  await page.getByRole('menuitem', { name: 'New project…' }).click();
  const create = page.getByRole('dialog', { name: 'New project' });
  await create.getByRole('textbox', { name: 'Name' }).fill(name);
  await create.getByRole('button', { name: 'Choose…' }).click();
  await pickInBrowser(page, 'Where to put the project', 'projects');
  await create.getByRole('button', { name: 'Create project' }).click();
  await page.getByTestId('project-name').getByText(name).waitFor();

  await page.getByRole('button', { name: 'Browse folders…' }).click();
  await pickInBrowser(page, 'Choose an image folder', 'data');
  const next = page.getByRole('button', { name: 'Next: choose a base' });
  await expect.poll(() => next.isEnabled(), { timeout: 30_000 }).toBe(true);
}

/**
 * {@link newProjectWithData}, then picks the bundled MobileNetV2 with the default head and opens the Train step.
 */
export async function newProjectUpToTrain(page: Page, name: string): Promise<void> {
  await newProjectWithData(page, name);
  await page.getByRole('button', { name: 'Next: choose a base' }).click();
  await page.getByTestId('base-card-nsfwjs-mobilenet-v2').locator('label').click();
  await page.getByRole('button', { name: 'Next: design the head' }).click();
  await page.getByRole('button', { name: 'Next: train' }).click();
}

/** Trains a short run from the Train step and waits for its result. */
export async function trainShortRun(page: Page, epochs: number, batchSize: number): Promise<void> {
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill(String(epochs));
  await page.getByRole('spinbutton', { name: 'Batch size' }).fill(String(batchSize));
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
}
