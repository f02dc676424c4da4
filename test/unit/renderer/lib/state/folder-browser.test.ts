/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../../../shared/contract';
import { StudioError } from '../../../../../shared/errors';
import { FolderBrowser } from '../../../../../renderer/src/lib/state/folder-browser.svelte';
import { FakeClient } from '../../fake-client';

/** A tiny in-memory tree standing in for the host's `host.listDir`. */
const TREE: Record<string, string[]> = {
  '/srv/data': ['pets/', 'notes.txt'],
  '/srv/data/pets': ['cats/', 'dogs/', 'a.jpg', 'b.jpg'],
  '/srv/data/pets/cats': [],
  '/srv/data/pets/dogs': [],
  '/mnt/photos': ['2024/'],
};

function listDir({ path }: { path: string }): ResponseOf<'host.listDir'> {
  const names = TREE[path];
  if (!names) throw new StudioError('PATH_NOT_ALLOWED', `${JSON.stringify(path)} is outside the folders you opened.`);
  const isRoot = path === '/srv/data' || path === '/mnt/photos';
  return {
    path,
    parent: isRoot ? null : path.slice(0, path.lastIndexOf('/')),
    entries: names.map((name) => ({
      name: name.replace(/\/$/, ''),
      path: `${path}/${name.replace(/\/$/, '')}`,
      isDirectory: name.endsWith('/'),
    })),
  };
}

function clientWith(roots: string[]): FakeClient {
  return new FakeClient('web')
    .handle('host.roots', () => ({
      roots: roots.map((path) => ({ path, label: path.split('/').at(-1)! })),
      nativeDialog: false,
    }))
    .handle('host.listDir', listDir);
}

describe('FolderBrowser', () => {
  it('opens the only root directly and walks down and up', async () => {
    const browser = new FolderBrowser(clientWith(['/srv/data']));
    await browser.open();
    expect(browser.listing?.path).toBe('/srv/data');
    expect(browser.folders.map((folder) => folder.name)).toEqual(['pets']);
    expect(browser.fileCount).toBe(1);
    expect(browser.canGoUp).toBe(false);

    await browser.enter('/srv/data/pets');
    expect(browser.folders.map((folder) => folder.name)).toEqual(['cats', 'dogs']);
    expect(browser.fileCount).toBe(2);
    expect(browser.trail).toEqual([
      { name: 'data', path: '/srv/data' },
      { name: 'pets', path: '/srv/data/pets' },
    ]);
    expect(browser.canGoUp).toBe(true);
    await browser.up();
    expect(browser.listing?.path).toBe('/srv/data');
  });

  it('lists several roots first and goes back to them from a root', async () => {
    const browser = new FolderBrowser(clientWith(['/srv/data', '/mnt/photos']));
    await browser.open();
    expect(browser.listing).toBeUndefined();
    expect(browser.roots.map((root) => root.label)).toEqual(['data', 'photos']);
    await browser.enter('/mnt/photos');
    expect(browser.root?.path).toBe('/mnt/photos');
    expect(browser.canGoUp).toBe(true);
    await browser.up();
    expect(browser.listing).toBeUndefined();
  });

  it('shows the host refusing a path in words', async () => {
    const browser = new FolderBrowser(clientWith(['/srv/data']));
    await browser.open();
    await browser.enter('/etc');
    expect(browser.error).toBe('"/etc" is outside the folders you opened.');
    expect(browser.listing?.path).toBe('/srv/data');
    expect(browser.loading).toBe(false);
  });
});
