/**
 * The ONNX format in the Export step (Chromium against `serve`): train a short run, tick only ONNX, export, see
 * model.onnx with its size and the ONNX Runtime check, download the .zip; then model.onnx reloaded outside the
 * app in onnxruntime-node returns one probability row per image. Screenshots go to test-artifacts/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { writeClassImages } from './class-images';
import { artifacts, useE2eSession } from './helpers';
import { newProjectUpToTrain, trainShortRun } from './wizard';

const session = useE2eSession({
  dataPrefix: 'ts-e2e-export-onnx-',
  async prepare(root) {
    await writeClassImages(path.join(root, 'data'), ['cats', 'dogs'], 10);
    mkdirSync(path.join(root, 'projects'));
  },
});

describe('ONNX export in the Export step', () => {
  it('ticks ONNX alone, exports model.onnx checked in ONNX Runtime, and offers the .zip', async () => {
    const { page, problems } = await session.openPage();
    await newProjectUpToTrain(page, 'Pets');
    await trainShortRun(page, 2, 8);

    await page.getByRole('tab', { name: /Export/ }).click();
    await page.locator('#step-title', { hasText: 'Export' }).waitFor();
    const formats = page.getByTestId('export-formats');
    await formats.getByRole('checkbox', { name: /ONNX/ }).waitFor();
    await formats.getByRole('checkbox', { name: /TensorFlow\.js/ }).uncheck();
    await formats.getByRole('checkbox', { name: /Teachable Machine/ }).uncheck();
    await formats.getByRole('checkbox', { name: /ONNX/ }).check();
    await page.screenshot({ path: path.join(artifacts, 'export-onnx-ready.png'), fullPage: true });

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const results = page.getByTestId('export-results');
    await results.waitFor({ timeout: 120_000 });
    const card = page.getByTestId('export-result-onnx');
    await card.getByText('model.onnx').waitFor();
    await card.getByText(/Checked: .*onnxruntime-node/).waitFor();
    expect(await page.getByTestId('export-result-tfjs').count()).toBe(0);
    await page.screenshot({ path: path.join(artifacts, 'export-onnx-done.png'), fullPage: true });
    await results.screenshot({ path: path.join(artifacts, 'export-onnx-results.png') });

    const href = await card.getByRole('link', { name: 'Download .zip' }).getAttribute('href');
    const zip = await page.evaluate(async (url) => {
      const response = await fetch(url!);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, size: bytes.length, magic: Array.from(bytes.slice(0, 4)) };
    }, href);
    expect(zip).toMatchObject({ status: 200, magic: [0x50, 0x4b, 0x03, 0x04] });
    expect(zip.size).toBeGreaterThan(1_000_000);

    const runDir = await page.getByTestId('export-run').inputValue();
    const model = await ort.InferenceSession.create(path.join(runDir, 'exports', 'onnx', 'model.onnx'));
    const pixels = new Float32Array(2 * 224 * 224 * 3).map((_, i) => (i * 7) % 256);
    const out = await model.run({ pixels: new ort.Tensor('float32', pixels, [2, 224, 224, 3]) });
    await model.release();
    expect(out['probabilities']!.dims).toEqual([2, 2]);
    const rows = Array.from(out['probabilities']!.data as Float32Array);
    expect(rows[0]! + rows[1]!).toBeCloseTo(1, 5);
    expect(problems).toEqual([]);
  });
});
