import type { MenuItemConstructorOptions } from 'electron';

/** Where "Help › Learn more" leads: what transfer learning is, in TensorFlow.js's own guide. */
export const LEARN_MORE_URL = 'https://www.tensorflow.org/js/tutorials/transfer/what_is_transfer_learning';

export interface MenuOptions {
  /** macOS gets the app-name menu and no Quit in File. */
  isMac: boolean;
  /** Development build: Reload and Toggle DevTools are offered. */
  dev: boolean;
  /** Shown in the macOS app menu. Default: "Transfer Studio". */
  appName?: string;
  /** File › Open Folders…: the native dialog, then the chosen folders become allowed roots. */
  openFolders: () => void;
  /** Help › About Transfer Studio. */
  showAbout: () => void;
  /** Opens a URL in the user's browser. */
  openExternal: (url: string) => void;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

/** The application menu, as a template for `Menu.buildFromTemplate`. Pure: actions are injected. */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const appName = options.appName ?? 'Transfer Studio';
  const about: MenuItemConstructorOptions = { label: `About ${appName}`, click: () => options.showAbout() };
  const template: MenuItemConstructorOptions[] = [];
  if (options.isMac) {
    template.push({
      label: appName,
      submenu: [
        about,
        separator,
        { role: 'services' },
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      { label: 'Open Folders…', accelerator: 'CmdOrCtrl+O', click: () => options.openFolders() },
      separator,
      options.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: '&View',
    submenu: [
      ...(options.dev
        ? ([
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
            separator,
          ] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: '&Window',
    role: 'window',
    submenu: options.isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    label: '&Help',
    role: 'help',
    submenu: [about, separator, { label: 'Learn more', click: () => options.openExternal(LEARN_MORE_URL) }],
  });
  return template;
}
