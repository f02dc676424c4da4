/**
 * Issue 12 #12, New project: a name whose folder already exists is caught before Create (message, Create
 * disabled), and the message goes when the name changes. Screenshots of both states in test-artifacts/e2e/.
 */
import { mkdirSync } from 'node:fs';
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
    expect(problems).toEqual([]);
  });
});
