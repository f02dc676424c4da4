import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PATH_ENV,
  basesDir,
  cacheDir,
  configDir,
  dataDir,
  osAppPaths,
  recentProjectsFile,
  runsDir,
  settingsFile,
} from '../../../../main/engine/app-paths';
import type { BaseInfo } from '../../../../shared/contract/models';
import { configuredBackend } from '../../../../main/engine/backend';
import { CacheStore } from '../../../../main/engine/data/cache';
import { listBases } from '../../../../main/engine/models/bases/registry';
import { rememberProject, listRecent } from '../../../../main/engine/project/recent';

const root = mkdtempSync(path.join(os.tmpdir(), 'ts-app-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NAMES = Object.values(PATH_ENV);
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  for (const name of NAMES) delete process.env[name];
});
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('app paths', () => {
  it('without overrides come from env-paths (no "-nodejs" suffix), computed once', () => {
    const expected = envPaths('transfer-studio', { suffix: '' });
    const env = {};
    expect(cacheDir(env)).toBe(expected.cache);
    expect(basesDir(env)).toBe(path.join(expected.cache, 'bases'));
    expect(configDir(env)).toBe(expected.config);
    expect(settingsFile(env)).toBe(path.join(expected.config, 'settings.json'));
    expect(recentProjectsFile(env)).toBe(path.join(expected.config, 'recent-projects.json'));
    expect(dataDir(env)).toBe(expected.data);
    expect(runsDir(env)).toBe(path.join(expected.data, 'runs'));
    expect(osAppPaths()).toBe(osAppPaths());
  });

  it('honours every override, as absolute paths; an empty value counts as unset', () => {
    const env = {
      TRANSFER_STUDIO_CACHE: path.join(root, 'cache'),
      TRANSFER_STUDIO_CONFIG_DIR: 'relative/config',
      TRANSFER_STUDIO_DATA: path.join(root, 'data'),
    };
    expect(cacheDir(env)).toBe(path.join(root, 'cache'));
    expect(basesDir(env)).toBe(path.join(root, 'cache', 'bases'));
    expect(configDir(env)).toBe(path.resolve('relative/config'));
    expect(settingsFile(env)).toBe(path.resolve('relative/config/settings.json'));
    expect(recentProjectsFile(env)).toBe(path.resolve('relative/config/recent-projects.json'));
    expect(dataDir(env)).toBe(path.join(root, 'data'));
    expect(runsDir(env)).toBe(path.join(root, 'data', 'runs'));
    expect(settingsFile({ ...env, TRANSFER_STUDIO_SETTINGS: path.join(root, 's.json') })).toBe(
      path.join(root, 's.json'),
    );
    expect(cacheDir({ TRANSFER_STUDIO_CACHE: '' })).toBe(osAppPaths().cache);
  });

  it('one cache for everything: the data cache, cacheDir() and the bases all follow TRANSFER_STUDIO_CACHE', async () => {
    const cache = path.join(root, 'one-cache');
    process.env.TRANSFER_STUDIO_CACHE = cache;
    expect(new CacheStore().root).toBe(cache);
    expect(cacheDir()).toBe(cache);
    expect(basesDir()).toBe(path.join(cache, 'bases'));
    // An imported base written under <cache>/bases is listed by the registry's default folder.
    const info: BaseInfo = {
      id: 'imported-probe',
      name: 'Probe',
      description: 'A record written by this test.',
      source: 'imported',
      inputSize: 8,
      scaling: 'x/255',
      cutLayer: 'features',
      pooling: 'none',
      featureSize: 4,
      featureShape: [4],
      licence: 'unknown',
      fineTunable: true,
      sizeBytes: 0,
    };
    mkdirSync(path.join(cache, 'bases', 'imported', info.id), { recursive: true });
    writeFileSync(path.join(cache, 'bases', 'imported', info.id, 'base.json'), JSON.stringify(info));
    expect((await listBases()).map((base) => base.id)).toContain('imported-probe');
  });

  it('the settings file and the recent projects list follow TRANSFER_STUDIO_CONFIG_DIR', async () => {
    const config = path.join(root, 'config');
    process.env.TRANSFER_STUDIO_CONFIG_DIR = config;
    mkdirSync(config, { recursive: true });
    writeFileSync(path.join(config, 'settings.json'), JSON.stringify({ backend: 'cpu' }));
    expect(configuredBackend({ ...process.env, TRANSFER_STUDIO_BACKEND: '' })).toBe('cpu');
    await rememberProject(path.join(root, 'some-project'), 'Some project');
    const list = JSON.parse(await readFile(path.join(config, 'recent-projects.json'), 'utf8')) as {
      projects: { name: string }[];
    };
    expect(list.projects.map((project) => project.name)).toEqual(['Some project']);
    expect((await listRecent()).map((project) => project.name)).toEqual(['Some project']);
  });
});
