/**
 * The bad-input corpus of issue 12 (generated in the test, see test/fixtures/bad-inputs.ts) through the
 * built CLI: for every kind, `scan --json` gives the exact problem kind and a readable message; exit codes
 * say whether anything can be trained; and training on the good images still succeeds, listing what it skipped.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanSummary } from '../../../shared/contract/data';
import { EXPECTED_PROBLEMS, makeBadInputs, makeUnreadable } from '../../fixtures/bad-inputs';

const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/transfer-studio.js', ...args], {
      env: { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the bad-input corpus', () => {
  let tmp = '';
  let root = '';
  let cacheDir = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'bad-inputs-'));
    root = await makeBadInputs(path.join(tmp, 'data'));
    cacheDir = path.join(tmp, 'cache');
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('scan names the exact problem kind of every bad file in plain words', async () => {
    const { code, stdout } = await cli(['scan', root, '--json', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as ScanSummary;
    for (const [relative, kind] of Object.entries(EXPECTED_PROBLEMS)) {
      const full = path.join(root, relative);
      const problem = summary.problems.find((p) => p.path === full);
      expect(problem, `${relative} should be reported as ${kind}`).toBeDefined();
      expect(problem!.kind, relative).toBe(kind);
      expect(problem!.message, relative).toMatch(/\w{3,}/);
      expect(problem!.message, relative).not.toMatch(/Unknown error|undefined|\[object/);
    }
    const byPath = (relative: string) => summary.problems.find((p) => p.path === path.join(root, relative))!.message;
    expect(byPath('shirts/drawing.svg')).toMatch(/SVG drawing/);
    expect(byPath('shirts/document.pdf')).toMatch(/PDF/);
    expect(byPath('shirts/notes.txt')).toMatch(/has the extension "\.txt", not an image's, but is really a JPEG image/);
    expect(byPath('shirts/corrupt.png')).toMatch(/damaged: its image data cannot be decoded/);
    // Good images of every kind are used without an error: CMYK, 16-bit, EXIF-rotated, unicode name, nested, TIFF.
    const errors = new Set(
      summary.problems.filter((p) => p.severity === 'error').map((p) => path.relative(root, p.path)),
    );
    for (const good of [
      'cmyk.jpg',
      'sixteen-bit.png',
      'rotated.jpg',
      'café-ü.png',
      'nested/deeper/inner.png',
      'big.tif',
    ]) {
      expect(errors.has(`shirts/${good}`), good).toBe(false);
    }
    expect(summary.problems.some((p) => p.path.includes('.hidden'))).toBe(false);
    expect(summary.duplicates.find((d) => d.kind === 'label-conflict')?.classes).toEqual(['shirts', 'shoes']);
    expect(summary.classes.map((c) => c.name)).toEqual(['shirts', 'shoes']);
  }, 120_000);

  it('scan of the same folder twice counts every file once, and the header agrees with the classes', async () => {
    const once = JSON.parse((await cli(['scan', root, '--json', '--cache-dir', cacheDir])).stdout) as ScanSummary;
    const twice = JSON.parse(
      (await cli(['scan', root, root, '--json', '--cache-dir', cacheDir])).stdout,
    ) as ScanSummary;
    expect(twice.classes).toEqual(once.classes);
    expect(twice.filesSeen).toBe(once.filesSeen);
    expect(twice.duplicates.filter((d) => d.kind === 'duplicate')).toEqual([]);
    const text = await cli(['scan', root, root, '--cache-dir', cacheDir]);
    const total = once.classes.reduce((sum, c) => sum + c.count, 0);
    expect(text.stdout.split('\n')[0]).toMatch(new RegExp(`^${total} usable images in 2 classes`));
  }, 120_000);

  it('scan exits 2 when nothing can be trained: a missing folder, a file, one class, one image', async () => {
    const missing = await cli(['scan', path.join(tmp, 'nope'), '--cache-dir', cacheDir]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/does not exist/);
    const aFile = await cli(['scan', path.join(root, 'shirts', 'good-0.png'), '--json', '--cache-dir', cacheDir]);
    expect(aFile.code).toBe(2);
    expect((JSON.parse(aFile.stdout) as ScanSummary).canTrain).toBe(false);
    const oneClass = await cli([
      'scan',
      path.join(root, 'shoes'),
      '--layout',
      'class',
      '--json',
      '--cache-dir',
      cacheDir,
    ]);
    expect(oneClass.code).toBe(2);
    expect((JSON.parse(oneClass.stdout) as ScanSummary).warnings.map((w) => w.kind)).toContain('one-class');
    const single = path.join(tmp, 'single');
    await mkdir(path.join(single, 'a'), { recursive: true });
    await mkdir(path.join(single, 'b'), { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    const { solid } = await import('../../fixtures/bad-inputs');
    await writeFile(path.join(single, 'a', 'x.png'), await solid(48, 48, 1));
    await writeFile(path.join(single, 'b', 'y.png'), await solid(48, 48, 2));
    await writeFile(path.join(single, 'b', 'z.png'), await solid(48, 48, 3));
    const oneImage = await cli(['scan', single, '--json', '--cache-dir', cacheDir]);
    expect(oneImage.code).toBe(2);
    expect((JSON.parse(oneImage.stdout) as ScanSummary).warnings.map((w) => w.kind)).toContain('too-few-images');
  }, 120_000);

  it.skipIf(process.getuid?.() === 0)(
    'an unreadable file is reported as unreadable (not meaningful as root)',
    async () => {
      const dir = path.join(tmp, 'locked');
      await mkdir(path.join(dir, 'a'), { recursive: true });
      await makeUnreadable(path.join(dir, 'a', 'locked.png'));
      const summary = JSON.parse((await cli(['scan', dir, '--json', '--cache-dir', cacheDir])).stdout) as ScanSummary;
      expect(summary.problems.find((p) => p.path.endsWith('locked.png'))).toMatchObject({
        kind: 'unreadable',
        message: /permission denied/,
      });
    },
  );

  it('train on the corpus trains on the good images and lists every skipped file', async () => {
    const out = path.join(tmp, 'run');
    const args = ['train', root, '--epochs', '2', '--batch-size', '8', '--out', out, '--cache', cacheDir];
    const { code, stdout, stderr } = await cli([...args, '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as {
      classes: string[];
      skipped: { path: string; kind: string }[];
      bestEpoch: number;
      stoppedBy: string;
      resumed: boolean;
    };
    expect(result.classes).toEqual(['shirts', 'shoes']);
    expect(result).toMatchObject({ resumed: false, stoppedBy: expect.stringMatching(/completed|early-stopping/) });
    expect(result.bestEpoch).toBeGreaterThanOrEqual(0);
    const skippedKinds = new Set(result.skipped.map((s) => s.kind));
    for (const kind of [
      'zero-byte',
      'corrupt',
      'decompression-bomb',
      'unsupported-format',
      'not-an-image',
      'bad-name',
      'unreadable',
      'outside-class',
    ]) {
      expect(skippedKinds.has(kind), kind).toBe(true);
    }
    // The report, canTrain and training agree: the label conflict is in neither class, so the run trains
    // exactly the images the scan counts.
    const scan = JSON.parse((await cli(['scan', root, '--json', '--cache-dir', cacheDir])).stdout) as ScanSummary;
    const counted = scan.classes.reduce((sum, c) => sum + c.count, 0);
    const trained = result as unknown as { trainImages: number; valImages: number; testImages: number };
    expect(trained.trainImages + trained.valImages + trained.testImages).toBe(counted);
    const { readRunState } = await import('../../../main/engine/run-folder/run-file');
    expect((await readRunState(out)).skipped?.length).toBe(result.skipped.length);
  }, 300_000);
});
