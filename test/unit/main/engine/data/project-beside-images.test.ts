/**
 * Issue 12 #12: a project created inside the image folder (its project.json, cache/ with thumbnails,
 * runs/) must not become a class of its own images.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanDataset } from '../../../../../main/engine/data/scan';
import { solid } from '../../../../fixtures/bad-inputs';

describe('a project folder beside the class folders', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'project-beside-'));
    for (const cls of ['cats', 'dogs']) {
      await mkdir(path.join(root, cls));
      for (let i = 0; i < 3; i++)
        await writeFile(path.join(root, cls, `${i}.png`), await solid(40, 40, i + (cls === 'cats' ? 0 : 10)));
    }
    const project = path.join(root, 'my-project');
    await mkdir(path.join(project, 'cache', 'thumbs'), { recursive: true });
    await writeFile(path.join(project, 'project.json'), '{}');
    await writeFile(path.join(project, 'cache', 'thumbs', 't.png'), await solid(40, 40, 99));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is neither a class nor an empty class nor a problem', async () => {
    const { summary } = await scanDataset({ sources: [{ path: root, mode: 'parent' }] });
    expect(summary.classes).toEqual([
      { name: 'cats', count: 3 },
      { name: 'dogs', count: 3 },
    ]);
    expect(summary.problems).toEqual([]);
    expect(summary.filesSeen).toBe(6);
  });
});
