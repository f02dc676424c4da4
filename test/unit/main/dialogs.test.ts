import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { nativeFolderChooser } from '../../../main/dialogs';

function fakeDialog(result: { canceled: boolean; filePaths: string[] }) {
  const calls: unknown[][] = [];
  const dialog = {
    showOpenDialog: vi.fn(async (...args: unknown[]) => {
      calls.push(args);
      return result;
    }),
  } as unknown as Pick<Dialog, 'showOpenDialog'>;
  return { dialog, calls };
}

describe('nativeFolderChooser', () => {
  it('asks for several folders, attached to the window, and returns the chosen ones', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/a', '/b'] });
    const win = { isDestroyed: () => false } as BaseWindow;
    expect(await nativeFolderChooser(dialog, () => win)('Pick training folders')).toEqual(['/a', '/b']);
    const [parent, options] = calls[0] as [BaseWindow, OpenDialogOptions];
    expect(parent).toBe(win);
    expect(options.title).toBe('Pick training folders');
    expect(options.properties).toEqual(['openDirectory', 'multiSelections']);
  });

  it('returns nothing when cancelled, and works without a window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: true, filePaths: ['/ignored'] });
    expect(await nativeFolderChooser(dialog, () => undefined)()).toEqual([]);
    const [options] = calls[0] as [OpenDialogOptions];
    expect(options.title).toBe('Open image folders');
  });
});
