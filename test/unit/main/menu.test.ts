import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { LEARN_MORE_URL, buildMenuTemplate } from '../../../main/menu';
import { isSafeExternalUrl } from '../../../main/window';

function menu(isMac: boolean, dev: boolean) {
  const actions = { openFolders: vi.fn(), showAbout: vi.fn(), openExternal: vi.fn() };
  return { template: buildMenuTemplate({ isMac, dev, ...actions }), ...actions };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const top = template.find((item) => item.label?.replace('&', '') === label);
  if (!top) throw new Error(`no ${label} menu`);
  return top.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

const roles = (items: MenuItemConstructorOptions[]) => items.map((item) => item.role).filter(Boolean);

describe('buildMenuTemplate', () => {
  it('has File, Edit, View, Window and Help on Windows and Linux', () => {
    const { template } = menu(false, false);
    expect(template.map((item) => item.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
  });

  it('adds the app menu with Quit on macOS, where File closes the window instead', () => {
    const { template } = menu(true, false);
    expect(template.map((item) => item.label)).toEqual([
      'Transfer Studio',
      '&File',
      '&Edit',
      '&View',
      '&Window',
      '&Help',
    ]);
    expect(roles(submenu(template, 'Transfer Studio'))).toContain('quit');
    expect(roles(submenu(template, 'File'))).toEqual(['close']);
    expect(roles(submenu(menu(false, false).template, 'File'))).toEqual(['quit']);
  });

  it('File › Open Folders… opens the folder dialog with Ctrl/Cmd+O', () => {
    const { template, openFolders } = menu(false, false);
    const open = submenu(template, 'File').find((item) => item.label === 'Open Folders…');
    expect(open?.accelerator).toBe('CmdOrCtrl+O');
    click(open);
    expect(openFolders).toHaveBeenCalledOnce();
  });

  it('offers Reload and DevTools only in development', () => {
    expect(roles(submenu(menu(false, true).template, 'View'))).toEqual(
      expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools', 'togglefullscreen']),
    );
    const production = roles(submenu(menu(false, false).template, 'View'));
    expect(production).not.toContain('reload');
    expect(production).not.toContain('forceReload');
    expect(production).not.toContain('toggleDevTools');
    expect(production).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('Edit has the clipboard roles text fields need', () => {
    expect(roles(submenu(menu(false, false).template, 'Edit'))).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
  });

  it('Help has About and Learn more, which opens a safe web page', () => {
    for (const isMac of [false, true]) {
      const { template, showAbout, openExternal } = menu(isMac, false);
      const help = submenu(template, 'Help');
      click(help.find((item) => item.label === 'About Transfer Studio'));
      expect(showAbout).toHaveBeenCalledOnce();
      click(help.find((item) => item.label === 'Learn more'));
      expect(openExternal).toHaveBeenCalledExactlyOnceWith(LEARN_MORE_URL);
    }
    expect(isSafeExternalUrl(LEARN_MORE_URL)).toBe(true);
  });
});
