import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProject, openProject, updateProject } from '../../../../../main/engine/project/store';

const root = mkdtempSync(path.join(os.tmpdir(), 'ts-project-recovery-'));
beforeAll(() => {
  process.env.TRANSFER_STUDIO_CONFIG_DIR = path.join(root, 'config');
});
let counter = 0;
const fresh = () => path.join(root, `p${++counter}`);

describe('project recovery and migration', () => {
  it('opens the backup when project.json is truncated, warns, and keeps the damaged file', async () => {
    const dir = fresh();
    await createProject(dir);
    const good = await updateProject(dir, { name: 'good' });
    const file = path.join(dir, 'project.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, 100));
    const opened = await openProject(dir);
    expect(opened.project.name).toBe(path.basename(dir)); // revision 1, the backup
    expect(opened.project.revision).toBe(good.project.revision); // rewritten as the next revision after the backup
    expect(opened.warnings[0]).toMatch(
      /project\.json" could not be used \(.*not valid JSON.*\); opened revision 1 from project\.json\.bak instead/,
    );
    expect(await readFile(`${file}.corrupt`, 'utf8')).toBe(text.slice(0, 100));
    expect(JSON.parse(await readFile(file, 'utf8')).revision).toBe(2);
    // Updates work again afterwards.
    await expect(updateProject(dir, { name: 'again' })).resolves.toMatchObject({
      project: { name: 'again', revision: 3 },
    });
  });

  it('names the file and the bad field, quoting the value, when neither file nor backup is usable', async () => {
    const dir = fresh();
    await createProject(dir);
    const file = path.join(dir, 'project.json');
    const raw = JSON.parse(await readFile(file, 'utf8'));
    raw.head.layers[0].units = -3;
    raw.training.batchSize = 'big';
    await writeFile(file, JSON.stringify(raw));
    const error = await openProject(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_INPUT' });
    const message = (error as Error).message;
    expect(message).toContain(`${JSON.stringify(file)} is not a valid project: training.batchSize:`);
    expect(message).toContain('received "big"');
    expect(message).toMatch(/No usable backup either \(.*project\.json\.bak.*\)\. Fix .* by hand/);
    raw.training.batchSize = 8;
    await writeFile(file, JSON.stringify(raw));
    await expect(openProject(dir)).rejects.toThrow(
      'head.layers.0: layer 0 (dense): expected units to be an integer > 0, received -3',
    );
    await writeFile(file, '');
    await expect(openProject(dir)).rejects.toThrow(`${JSON.stringify(file)} cannot be read as a project: it is empty.`);
  });

  it('refuses a missing project and a newer format with words a user can act on', async () => {
    const dir = fresh();
    await expect(openProject(dir)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('has no project.json'),
    });
    await createProject(dir);
    const file = path.join(dir, 'project.json');
    const raw = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...raw, formatVersion: 9 }));
    await expect(openProject(dir)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('newer Transfer Studio (project format 9'),
    });
  });

  it('migrates an unversioned (format 0) file and writes it back in the current format', async () => {
    const dir = fresh();
    await createProject(dir);
    const file = path.join(dir, 'project.json');
    const old = {
      name: 'Old one',
      createdAt: '2024-01-02T03:04:05.000Z',
      base: 'nsfwjs-inception-v3',
      freeze: { mode: 'topLayers', n: 3 },
      head: { layers: [] },
    };
    await writeFile(file, JSON.stringify(old));
    const opened = await openProject(dir);
    expect(opened.warnings).toEqual(['Upgraded project.json from format 0 to 1.']);
    expect(opened.project).toMatchObject({
      formatVersion: 1,
      name: 'Old one',
      createdAt: old.createdAt,
      base: { id: 'nsfwjs-inception-v3', freeze: { mode: 'topLayers', n: 3, layers: {} } },
      head: { layers: [] },
      runs: [],
    });
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.formatVersion).toBe(1);
    expect(JSON.parse(await readFile(`${file}.bak`, 'utf8'))).toEqual(old);
  });

  it('removes temp files left by dead writers, keeps live ones', async () => {
    const dir = fresh();
    await createProject(dir);
    const dead = path.join(dir, `.project.json.${2 ** 22 + 777}.0badf00d.tmp`);
    const live = path.join(dir, `.project.json.${process.pid}.00c0ffee.tmp`);
    writeFileSync(dead, '{"half');
    writeFileSync(live, '{"half');
    await openProject(dir);
    const names = await readdir(dir);
    expect(names).not.toContain(path.basename(dead));
    expect(names).toContain(path.basename(live));
  });
});
