/**
 * The Export step in Chromium against `serve`: create a project, train a short run, open Export, export TF.js and
 * Teachable Machine, see each format's files and sizes, download the .zip through the page's link, and reload
 * the written folders outside the app (tf.loadLayersModel; metadata.json through the contract). Screenshots of
 * the step before and after exporting go to test-artifacts/e2e/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fileSystemLoader } from '../../main/engine/models/io/fs-handler';
import { ModelMetadata } from '../../shared/contract/model-metadata';
import { writeClassImages } from './class-images';
import { artifacts, useE2eSession } from './helpers';
import { newProjectUpToTrain, trainShortRun } from './wizard';

const session = useE2eSession({
  dataPrefix: 'ts-e2e-export-',
  async prepare(root) {
    await writeClassImages(path.join(root, 'data'), ['cats', 'dogs'], 10);
    mkdirSync(path.join(root, 'projects'));
  },
});

describe('Export step in Chromium', () => {
  it('exports a finished run as TF.js and Teachable Machine, lists files and sizes, and offers the .zip', async () => {
    const { page, problems } = await session.openPage();
    await newProjectUpToTrain(page, 'Pets');
    await trainShortRun(page, 2, 8);

    // Export is open once a run finished.
    await page.getByRole('tab', { name: /Export/ }).click();
    await page.locator('#step-title', { hasText: 'Export' }).waitFor();
    const formats = page.getByTestId('export-formats');
    await formats.getByText('TensorFlow.js').waitFor();
    await expect.poll(() => formats.getByRole('checkbox').count()).toBeGreaterThanOrEqual(2);
    expect(await formats.getByRole('checkbox', { name: /TensorFlow\.js/ }).isChecked()).toBe(true);
    expect(await formats.getByRole('checkbox', { name: /Teachable Machine/ }).isChecked()).toBe(true);
    const runDir = await page.getByTestId('export-run').inputValue();
    expect(runDir.startsWith(path.join(session.dataRoot, 'projects'))).toBe(true);
    expect(await page.getByTestId('export-destination').textContent()).toContain(`${runDir}/exports/<format>/`);
    await page.screenshot({ path: path.join(artifacts, 'export-step-ready.png'), fullPage: true });

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const results = page.getByTestId('export-results');
    await results.waitFor({ timeout: 120_000 });
    for (const format of ['tfjs', 'tm']) {
      const card = page.getByTestId(`export-result-${format}`);
      await card.getByText('model.json').waitFor();
      await card.getByText('group1-shard1of3.bin').waitFor();
      await card.getByText('4.0 MiB').first().waitFor();
      await card.getByText(/Checked: /).waitFor();
    }
    await page.screenshot({ path: path.join(artifacts, 'export-step-done.png'), fullPage: true });
    await results.screenshot({ path: path.join(artifacts, 'export-step-results.png') });

    // Browser mode: each result links its .zip; the page's own cookie fetches it.
    const href = await page
      .getByTestId('export-result-tm')
      .getByRole('link', { name: 'Download .zip' })
      .getAttribute('href');
    const zip = await page.evaluate(async (url) => {
      const response = await fetch(url!);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        size: bytes.length,
        magic: Array.from(bytes.slice(0, 4)),
      };
    }, href);
    expect(zip).toMatchObject({ status: 200, type: 'application/zip', magic: [0x50, 0x4b, 0x03, 0x04] });
    expect(zip.size).toBeGreaterThan(1_000_000); // ~9.7 MB of weights, deflated

    // The folders reload outside the app.
    const model = await tf.loadLayersModel(fileSystemLoader(path.join(runDir, 'exports', 'tfjs', 'model.json')));
    const out = tf.tidy(() => model.predict(tf.fill([1, 224, 224, 3], 128)) as tf.Tensor);
    expect(out.shape).toEqual([1, 2]);
    tf.dispose([out]);
    model.dispose();
    const metadata = ModelMetadata.parse(
      JSON.parse(readFileSync(path.join(runDir, 'exports', 'tm', 'metadata.json'), 'utf8')),
    );
    expect(metadata.labels).toEqual(['cats', 'dogs']);
    expect(problems).toEqual([]);
  });
});
