/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../../shared/errors';
import { DataSources } from '../../../../../renderer/src/lib/state/data-sources.svelte';
import { FakeClient, settle } from '../../fake-client';

describe('DataSources', () => {
  it('adds folders once each and removes them', () => {
    const sources = new DataSources(new FakeClient());
    expect(sources.complete).toBe(false);
    expect(sources.add(['/data/cats', '/data/dogs', '/data/cats'])).toBe(2);
    expect(sources.add(['/data/dogs', '/data/birds'])).toBe(1);
    expect(sources.folders).toEqual(['/data/cats', '/data/dogs', '/data/birds']);
    expect(sources.count).toBe(3);
    expect(sources.complete).toBe(true);
    sources.remove('/data/dogs');
    expect(sources.folders).toEqual(['/data/cats', '/data/birds']);
  });

  it('adds the folders chosen in the native dialog', async () => {
    const client = new FakeClient('electron').handle('host.chooseFolders', () => ({ paths: ['/home/me/pets'] }));
    const sources = new DataSources(client);
    expect(await sources.chooseWithDialog()).toBe(1);
    expect(sources.folders).toEqual(['/home/me/pets']);
    expect(client.calls[0]).toEqual({ method: 'host.chooseFolders', request: { title: 'Choose image folders' } });
    expect(sources.busy).toBe(false);
  });

  it('reports a failing dialog in words and keeps the folders', async () => {
    const client = new FakeClient('web').handle('host.chooseFolders', () => {
      throw new StudioError(
        'UNSUPPORTED',
        'Native folder dialogs exist only in the desktop app; use the folder browser.',
      );
    });
    const sources = new DataSources(client);
    sources.add(['/srv/a']);
    expect(await sources.chooseWithDialog()).toBe(0);
    expect(sources.error).toContain('folder browser');
    expect(sources.folders).toEqual(['/srv/a']);
  });

  it('turns dropped files into folders on the desktop only', async () => {
    const desktop = new FakeClient('electron');
    const dropped: unknown[] = [];
    desktop.allowDroppedFiles = async (files) => {
      dropped.push(...files);
      return ['/home/me/flowers'];
    };
    const sources = new DataSources(desktop);
    expect(sources.canDrop).toBe(true);
    const file = new File([], 'flowers');
    expect(await sources.addDropped([file])).toBe(1);
    expect(dropped).toEqual([file]);
    expect(sources.folders).toEqual(['/home/me/flowers']);

    desktop.allowDroppedFiles = async () => [];
    expect(await sources.addDropped([new File([], 'x.txt')])).toBe(0);
    expect(sources.error).toBe('Nothing dropped came from a folder on this computer.');

    const web = new DataSources(new FakeClient('web'));
    expect(web.canDrop).toBe(false);
    expect(await web.addDropped([file])).toBe(0);
    expect(web.error).toContain('desktop app');
  });

  it("guesses each folder's mode from its listing, and the user can change it", async () => {
    const client = new FakeClient('web').handle('host.listDir', ({ path }) => ({
      path,
      parent: null,
      entries:
        path === '/data/pets'
          ? [
              { name: 'cats', path: '/data/pets/cats', isDirectory: true },
              { name: 'x.jpg', path: '/data/pets/x.jpg', isDirectory: false },
            ]
          : [
              { name: 'a.JPG', path: `${path}/a.JPG`, isDirectory: false },
              { name: 'n.txt', path: `${path}/n.txt`, isDirectory: false },
            ],
    }));
    const sources = new DataSources(client);
    sources.add(['/data/pets', '/data/wolves']);
    expect(sources.settled).toBe(false);
    await settle();
    expect(sources.settled).toBe(true);
    expect(sources.sources).toEqual([
      { path: '/data/pets', mode: 'parent' },
      { path: '/data/wolves', mode: 'class' },
    ]);
    expect(sources.contents['/data/wolves']).toEqual({ folders: [], images: ['/data/wolves/a.JPG'] });
    sources.setMode('/data/pets', 'class');
    expect(sources.modeOf('/data/pets')).toBe('class');
    sources.remove('/data/pets');
    expect(sources.modes).toEqual({ '/data/wolves': 'class' });
  });

  it('adds the folders opened from the menu (host.rootsChanged) until unsubscribed', () => {
    const client = new FakeClient('electron');
    const sources = new DataSources(client);
    const stop = sources.listen();
    client.emit('host.rootsChanged', {
      roots: [{ path: '/home/me/birds', label: 'birds' }],
      added: ['/home/me/birds'],
    });
    client.emit('host.rootsChanged', { roots: [], added: [] });
    expect(sources.folders).toEqual(['/home/me/birds']);
    stop();
    expect(client.listenerCount('host.rootsChanged')).toBe(0);
    client.emit('host.rootsChanged', { roots: [], added: ['/home/me/fish'] });
    expect(sources.folders).toEqual(['/home/me/birds']);
  });
});
