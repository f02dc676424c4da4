import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';

/** Options of the native "Open folders" dialog. */
export function folderDialogOptions(title?: string): OpenDialogOptions {
  return {
    title: title ?? 'Open image folders',
    buttonLabel: 'Open',
    properties: ['openDirectory', 'multiSelections'],
  };
}

/**
 * The host's `chooseFolders` for the desktop app: the native folder dialog, attached to the main
 * window when there is one. Resolves with the chosen folders, or [] when cancelled.
 */
export function nativeFolderChooser(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  getWindow: () => BaseWindow | undefined,
): (title?: string) => Promise<string[]> {
  return async (title) => {
    const options = folderDialogOptions(title);
    const win = getWindow();
    const result =
      win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
}
