import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, symlink, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../../../main/engine/data/scan';
import { scanDataset } from '../../../../../main/engine/data/scan';
import { writeBrokenCorpus, writeClass, type BrokenCorpus } from '../../../../fixtures/generated';

let tmp: string;
let corpus: BrokenCorpus;
let result: ScanResult;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-health-'));
  corpus = await writeBrokenCorpus(path.join(tmp, 'corpus'));
  result = await scanDataset({ sources: [{ path: corpus.root, mode: 'parent' }] });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function problemOf(file: string) {
  return result.problems.filter((p) => p.path === file);
}

describe('health report from real files', () => {
  it.each([
    ['zeroByte', 'zero-byte', 'error'],
    ['notAnImage', 'not-an-image', 'error'],
    ['wrongExtension', 'wrong-extension', 'warning'],
    ['truncatedJpeg', 'corrupt', 'error'],
    ['corruptPng', 'corrupt', 'error'],
    ['unsupported', 'unsupported-format', 'error'],
    ['bomb', 'decompression-bomb', 'error'],
    ['tiny', 'tiny', 'warning'],
    ['animatedGif', 'animated', 'warning'],
    ['animatedWebp', 'animated', 'warning'],
  ] as const)('%s → %s (%s), with a message naming the file', (key, kind, severity) => {
    const problems = problemOf(corpus.files[key]);
    expect(problems.map((p) => p.kind)).toEqual([kind]);
    expect(problems[0]!.severity).toBe(severity);
    expect(problems[0]!.message).toContain(JSON.stringify(corpus.files[key]));
    expect(problems[0]!.class).toBe('mixed');
    const used = result.records.some((r) => r.path === corpus.files[key]);
    expect(used).toBe(severity === 'warning');
  });

  it('decodes the 400-megapixel bomb never, and says why', () => {
    expect(problemOf(corpus.files.bomb)[0]!.message).toMatch(/20000×20000 pixels \(400 megapixels\)/);
  });

  it('finds exact duplicates within a class and label conflicts across classes by content', () => {
    const dup = result.summary.duplicates.find((d) => d.kind === 'duplicate')!;
    expect(dup.paths.sort()).toEqual([corpus.files.duplicateA, corpus.files.duplicateB].sort());
    const conflict = result.summary.duplicates.find((d) => d.kind === 'label-conflict')!;
    expect(conflict.classes).toEqual(['mixed', 'other']);
    expect(conflict.paths.sort()).toEqual([corpus.files.conflictA, corpus.files.conflictB].sort());
    // The extra in-class copy, and every copy of the conflicting image: it is in neither class until the user picks one.
    expect(
      result.records
        .filter((r) => r.duplicate)
        .map((r) => r.path)
        .sort(),
    ).toEqual([corpus.files.duplicateB, corpus.files.conflictA, corpus.files.conflictB].sort());
    // 12 good + wrong-ext + tiny + 2 animated + dupA + cmyk + png16 + exif + alpha + gray = 22 unique (the conflict left out)
    expect(result.summary.classes).toEqual([
      { name: 'mixed', count: 22 },
      { name: 'other', count: 12 },
    ]);
  });

  it('ignores OS junk and hidden files', () => {
    expect(result.problems.some((p) => /DS_Store|Thumbs\.db|__MACOSX/.test(p.path))).toBe(false);
    expect(result.records.some((r) => /DS_Store|Thumbs\.db|__MACOSX/.test(r.path))).toBe(false);
    expect(result.summary.classes.map((c) => c.name)).not.toContain('__MACOSX');
  });

  it('reads odd-but-valid images without complaint (CMYK, 16-bit, EXIF, alpha, grayscale)', () => {
    for (const key of ['cmyk', 'png16', 'exif', 'alpha', 'gray'] as const) {
      expect(problemOf(corpus.files[key])).toEqual([]);
    }
    const exif = result.records.find((r) => r.path === corpus.files.exif)!;
    expect([exif.width, exif.height]).toEqual([40, 60]); // displayed size, after orientation
  });
});

describe('dataset warnings', () => {
  it('imbalance, few images, too few images', async () => {
    const root = path.join(tmp, 'warn');
    await writeClass(path.join(root, 'big'), 40, { seed: 10 });
    await writeClass(path.join(root, 'small'), 5, { seed: 11 });
    await writeClass(path.join(root, 'single'), 1, { seed: 12 });
    const { summary } = await scanDataset({ sources: [{ path: root, mode: 'parent' }] }, { decode: false });
    const kinds = summary.warnings.map((w) => [w.kind, w.class ?? '', w.severity]);
    expect(kinds).toContainEqual(['few-images', 'small', 'warning']);
    expect(kinds).toContainEqual(['too-few-images', 'single', 'blocking']);
    expect(summary.warnings.find((w) => w.kind === 'imbalance')!.message).toMatch(
      /"big" has 40.*"single" only 1 \(40\.0×\)/,
    );
    expect(summary.canTrain).toBe(false);
  });

  it('only one class blocks training', async () => {
    const root = path.join(tmp, 'one');
    await writeClass(path.join(root, 'only'), 12, { seed: 13 });
    const { summary } = await scanDataset({ sources: [{ path: root, mode: 'parent' }] }, { decode: false });
    expect(summary.warnings.map((w) => [w.kind, w.severity])).toEqual([['one-class', 'blocking']]);
    expect(summary.canTrain).toBe(false);
  });
});

describe('walking hostile trees', () => {
  it('survives a symlink loop, unicode and space-laden names, and unreadable entries', async () => {
    const root = path.join(tmp, 'hostile');
    const cls = path.join(root, 'chats été 🐱');
    await writeClass(cls, 3, { seed: 20, prefix: 'photo n° ' });
    await writeClass(path.join(root, 'dogs'), 3, { seed: 21 });
    await mkdir(path.join(cls, 'deeper', 'still deeper'), { recursive: true });
    await writeClass(path.join(cls, 'deeper', 'still deeper'), 2, { seed: 22, prefix: '写真 ' });
    // A loop: cls/deeper/loop → cls.
    await symlink(cls, path.join(cls, 'deeper', 'loop'));
    // Tests run as root, where chmod 000 does not stop reads. So "unreadable" is simulated with
    // entries that really fail: a dangling link to a folder that does not exist, and a FIFO
    // (reading it would block forever, so the walker must not open it). Non-root also gets chmod 000.
    await symlink(path.join(tmp, 'nowhere'), path.join(root, 'dogs', 'gone'));
    execFileSync('mkfifo', [path.join(root, 'dogs', 'pipe.jpg')]);
    const locked = path.join(root, 'dogs', 'locked');
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      await writeClass(locked, 1, { seed: 23 });
      await chmod(locked, 0o000);
    }
    const progress: number[] = [];
    const { summary, records, problems } = await scanDataset(
      { sources: [{ path: root, mode: 'parent' }] },
      {},
      { onProgress: (p) => progress.push(p.filesSeen) },
    );
    if (!isRoot) await chmod(locked, 0o755);
    expect(summary.classes).toEqual([
      { name: 'chats été 🐱', count: 5 },
      { name: 'dogs', count: 3 },
    ]);
    expect(records.filter((r) => r.path.includes('写真 ')).length).toBe(2);
    expect(problems.find((p) => p.path === path.join(cls, 'deeper', 'loop'))?.message).toMatch(/symbolic-link loop/);
    expect(problems.find((p) => p.path === path.join(root, 'dogs', 'gone'))?.kind).toBe('unreadable');
    expect(problems.find((p) => p.path === path.join(root, 'dogs', 'pipe.jpg'))?.message).toMatch(/not a regular file/);
    if (!isRoot) expect(problems.find((p) => p.path === locked)?.message).toMatch(/permission denied/);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(summary.filesSeen);
  });

  it('is cancellable', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      scanDataset({ sources: [{ path: corpus.root, mode: 'parent' }] }, {}, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('reports loose files in a parent folder and a missing source', async () => {
    const root = path.join(tmp, 'loose');
    await writeClass(path.join(root, 'a'), 2, { seed: 30 });
    await writeFile(path.join(root, 'stray.png'), 'x');
    const { problems } = await scanDataset({
      sources: [
        { path: root, mode: 'parent' },
        { path: path.join(tmp, 'missing folder'), mode: 'class' },
      ],
    });
    expect(problems.map((p) => p.kind).sort()).toEqual(['outside-class', 'unreadable']);
  });
});
