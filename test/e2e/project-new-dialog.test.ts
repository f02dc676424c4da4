/**
 * Issue 12 #12, New project: a name whose folder already exists is caught before Create (message, Create
 * disabled), and the message goes when the name changes; the folder browser makes a new folder. Screenshots of both states in test-artifacts/e2e/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifacts, useE2eSession } from './helpers';

const session = useE2eSession({
  dataPrefix: 'ts-e2e-new-project-',
  classes: ['cats', 'dogs'],
  prepare: (root) => {
    mkdirSync(path.join(root, 'projects', 'colours'), { recursive: true });
  },
});

describe('New project dialog in Chromium', () => {
  it('catches a name whose folder exists before Create, and clears it when the name changes', async () => {
    const { page, problems } = await session.openPage();
    await page.getByRole('button', { name: 'No project' }).click();
    await page.getByRole('menuitem', { name: 'New project…' }).click();
    const create = page.getByRole('dialog', { name: 'New project' });
    await create.getByRole('textbox', { name: 'Name' }).fill('Colours');
    await create.getByRole('button', { name: 'Choose…' }).click();
    const browser = page.getByRole('dialog', { name: 'Where to put the project' });
    await browser.getByTestId('subfolders').getByText('projects', { exact: true }).click();
    await browser.locator('[aria-current=location]', { hasText: 'projects' }).waitFor();
    await browser.getByRole('button', { name: 'Use this folder' }).click();

    const taken = create.getByTestId('name-taken');
    await taken.waitFor();
    expect(await taken.textContent()).toMatch(/“colours” already exists in this location; choose another name/);
    expect(await create.getByRole('button', { name: 'Create project' }).isDisabled()).toBe(true);
    expect(await create.getByRole('alert').count()).toBe(1);
    await page.screenshot({ path: path.join(artifacts, 'new-project-name-taken.png') });

    await create.getByRole('textbox', { name: 'Name' }).fill('Colours 2');
    await taken.waitFor({ state: 'detached' });
    expect(await create.getByRole('button', { name: 'Create project' }).isDisabled()).toBe(false);
    expect(await create.getByTestId('new-project-dir').textContent()).toBe(
      path.join(session.dataRoot, 'projects', 'colours-2'),
    );
    await page.screenshot({ path: path.join(artifacts, 'new-project-name-free.png') });

    // "New folder" in the folder browser: made inside the current folder (under the root), then entered.
    await create.getByRole('button', { name: 'Choose…' }).click();
    await browser.getByRole('button', { name: 'New folder' }).click();
    await browser.getByRole('textbox', { name: 'Name of the new folder' }).fill('../escape');
    await browser.getByRole('button', { name: 'Create', exact: true }).click();
    await browser
      .getByRole('alert')
      .getByText(/expected a folder name without "\/"/)
      .waitFor();
    await browser.getByRole('textbox', { name: 'Name of the new folder' }).fill('models');
    await browser.getByRole('button', { name: 'Create', exact: true }).click();
    await browser.locator('[aria-current=location]', { hasText: 'models' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'folder-browser-new-folder.png') });
    await browser.getByRole('button', { name: 'Use this folder' }).click();
    expect(await create.getByTestId('new-project-dir').textContent()).toBe(
      path.join(session.dataRoot, 'models', 'colours-2'),
    );
    expect(existsSync(path.join(session.dataRoot, 'models'))).toBe(true);
    expect(existsSync(path.join(session.dataRoot, 'escape'))).toBe(false);
    expect(problems).toEqual([]);
  });
});
