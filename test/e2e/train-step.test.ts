import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFile } from '../../shared/contract/project';
import { defaultHeadSpec } from '../../shared/layer-spec';
import { assignSplit } from '../../main/engine/data/split';
import { CLASSES, png } from './colour-data';
import { pickInBrowser } from './wizard';
import { artifacts, useE2eSession } from './helpers';

const PER_CLASS = 12;

/** A training seed whose split gives every class at least two validation images (the split is by content hash). */
let seed = 0;

/** The first seed whose 15% validation split holds ≥ 2 images of every class (as the engine splits them). */
function seedWithValidation(dataDir: string): number {
  const hashes = CLASSES.map((cls) =>
    readdirSync(path.join(dataDir, cls)).map((name) =>
      createHash('sha256')
        .update(readFileSync(path.join(dataDir, cls, name)))
        .digest('hex'),
    ),
  );
  const fractions = { train: 0.85, validation: 0.15, test: 0 };
  for (let candidate = 0; candidate < 1000; candidate++) {
    if (
      hashes.every(
        (list) => list.filter((hash) => assignSplit(hash, candidate, fractions) === 'validation').length >= 2,
      )
    )
      return candidate;
  }
  throw new Error('No seed gives every class two validation images.');
}

function readProject(dir: string): ProjectFile {
  return ProjectFile.parse(JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8')));
}

const session = useE2eSession({
  dataPrefix: 'ts-e2e-train-',
  async prepare(root) {
    for (const cls of CLASSES) {
      mkdirSync(path.join(root, 'data', cls), { recursive: true });
      for (let i = 0; i < PER_CLASS; i++)
        await png(path.join(root, 'data', cls, `${cls}-${String(i).padStart(2, '0')}.png`), cls, i);
    }
    mkdirSync(path.join(root, 'projects'));
    seed = seedWithValidation(path.join(root, 'data'));
  },
});

describe('Project and Train step in Chromium', () => {
  const projectDir = () => path.join(session.dataRoot, 'projects', 'colours');

  it('creates a project, trains MobileNetV2 + the default head with live curves, and records the run', async () => {
    const { page, problems } = await session.openPage();
    await page.getByTestId('project-status').getByText('Unsaved — create a project to keep your work').waitFor();

    // New project… in <root>/projects, named "Colours".
    await page.getByRole('button', { name: 'No project' }).click();
    await page.getByRole('menuitem', { name: 'New project…' }).click();
    const create = page.getByRole('dialog', { name: 'New project' });
    await create.getByRole('textbox', { name: 'Name' }).fill('Colours');
    await create.getByRole('button', { name: 'Choose…' }).click();
    await pickInBrowser(page, 'Where to put the project', 'projects');
    expect(await create.getByTestId('new-project-dir').textContent()).toBe(projectDir());
    await create.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('project-name').getByText('Colours').waitFor();
    await page.getByTestId('project-status').getByText('Saved').waitFor();

    // Data: the folder of class folders; Base: the bundled MobileNetV2; Head: the default.
    await page.getByRole('button', { name: 'Browse folders…' }).click();
    await pickInBrowser(page, 'Choose an image folder', 'data');
    const next = page.getByRole('button', { name: 'Next: choose a base' });
    await expect.poll(() => next.isEnabled(), { timeout: 30_000 }).toBe(true);
    await next.click();
    const card = page.getByTestId('base-card-nsfwjs-mobilenet-v2');
    await card.locator('label').click();
    await page.getByRole('button', { name: 'Next: design the head' }).click();
    await page.getByRole('button', { name: 'Next: train' }).click();
    await page.locator('#step-title', { hasText: 'Train' }).waitFor();

    // 3 epochs of batch 8, then Start.
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('3');
    await page.getByRole('spinbutton', { name: 'Batch size' }).fill('8');
    await page.getByRole('spinbutton', { name: 'Seed' }).fill(String(seed));
    // Calibration is on by default; this run switches it off (run.json and Evaluate say so below).
    const calibrate = page.getByRole('checkbox', { name: /Calibrate probabilities/ });
    expect(await calibrate.isChecked()).toBe(true);
    await calibrate.uncheck();
    await page
      .getByRole('form', { name: 'Training options' })
      .screenshot({ path: path.join(artifacts, 'train-step-options.png'), animations: 'disabled' });
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByTestId('train-progress').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    const result = page.getByTestId('train-result');
    const failure = page.locator('section.run [role=alert], section.run [role=status]').filter({ hasNotText: /^$/ });
    await result.or(failure).first().waitFor({ timeout: 90_000 });
    if (!(await result.isVisible())) {
      await page.screenshot({ path: path.join(artifacts, 'train-step-failed.png') });
      throw new Error(`Training did not finish: ${await failure.first().textContent()}`);
    }

    // The curves: 3 epochs on each line, a best-epoch marker; the result card and the history.
    const curves = page.getByTestId('train-curves');
    for (const series of ['loss', 'val-loss', 'accuracy', 'val-accuracy']) {
      expect(await curves.locator(`circle[data-series=${series}]`).count()).toBe(3);
    }
    expect(await curves.getByTestId('chart-best').count()).toBe(2);
    const accuracy = (await result.getByTestId('result-val-accuracy').textContent()) ?? '';
    expect(accuracy).toMatch(/^\d{1,3}\.\d%$/);
    expect(await page.getByTestId('train-history').locator('tbody tr').count()).toBe(3);
    const runDir = (await result.getByTestId('result-run-dir').textContent()) ?? '';
    expect(runDir.startsWith(path.join(projectDir(), 'runs'))).toBe(true);

    // project.json records the run and the wizard's choices.
    await page.getByTestId('project-status').getByText('Saved').waitFor();
    const project = readProject(projectDir());
    expect(project.name).toBe('Colours');
    expect(project.runs).toHaveLength(1);
    expect(project.runs[0]).toMatchObject({ status: 'completed' });
    expect(project.runs[0]!.valAccuracy).toBeCloseTo(Number(accuracy.replace('%', '')) / 100, 3);
    expect(path.resolve(projectDir(), project.runs[0]!.dir)).toBe(runDir);
    expect(project.head).toEqual(defaultHeadSpec());
    expect(project.base.id).toBe('nsfwjs-mobilenet-v2');
    expect(project.dataset?.sources).toEqual([{ path: path.join(session.dataRoot, 'data'), mode: 'parent' }]);
    expect(project.training).toMatchObject({ epochs: 3, batchSize: 8, seed, validationSplit: 0.15, calibrate: false });
    // Calibration off: no temperature fitted, run.json says so.
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { calibration?: { status: string } };
    expect(run.calibration?.status).toBe('off');

    // Hover the accuracy chart for its tooltip, then keep a picture of the step.
    await page.setViewportSize({ width: 1280, height: 1500 });
    const chart = curves.getByTestId('chart-svg').nth(1);
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await curves
      .getByRole('status')
      .getByText(/^Epoch \d/)
      .waitFor();
    await page.screenshot({ path: path.join(artifacts, 'train-step.png') });

    // Evaluate (the test split was scored at the end of the run): the probabilities were left as they are.
    await page.locator('#step-tab-evaluate').click();
    const line = page.getByTestId('calibration-line');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.textContent()).toBe('Probabilities left as they are (calibration switched off for this run)');
    await page
      .getByTestId('reliability-diagram')
      .screenshot({ path: path.join(artifacts, 'train-step-uncalibrated.png'), animations: 'disabled' });
    expect(problems).toEqual([]);
  });

  it('reopens the project in a fresh page with the wizard restored', async () => {
    const { page, problems } = await session.openPage();
    await page.getByRole('button', { name: 'No project' }).click();
    await page.getByRole('menuitem', { name: /^Colours/ }).click();
    await page.getByTestId('project-name').getByText('Colours').waitFor();
    // The data is rescanned, the base and head come back: the Train step opens with the saved options.
    const trainTab = page.locator('#step-tab-train');
    await expect.poll(() => trainTab.getAttribute('aria-disabled'), { timeout: 30_000 }).toBe('false');
    await trainTab.click();
    await page.locator('#step-title', { hasText: 'Train' }).waitFor();
    expect(await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).inputValue()).toBe('3');
    expect(await page.getByRole('spinbutton', { name: 'Batch size' }).inputValue()).toBe('8');
    expect(await page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).toBe(String(seed));
    expect(await page.getByRole('checkbox', { name: /Calibrate probabilities/ }).isChecked()).toBe(false);
    await page.locator('#step-tab-data').click();
    await page.getByText(path.join(session.dataRoot, 'data')).first().waitFor();
    await page.getByTestId('project-status').getByText('Saved').waitFor();
    expect(readProject(projectDir()).runs).toHaveLength(1);
    expect(problems).toEqual([]);
  });
});
