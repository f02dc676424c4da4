// Electron main: the app's lifecycle. The only module that imports electron at runtime; it wires
// the real objects into the tested modules (window, ipc, menu, dialogs, utility-engine).
import { BrowserWindow, Menu, app, dialog, ipcMain, shell, utilityProcess } from 'electron';
import path from 'node:path';
import type { EngineStatusEvent } from '../shared/contract/events';
import { toErrorData } from '../shared/errors';
import { EngineLink } from './engine-link/engine-link';
import { createHostHandlers } from './gateway/host-handlers';
import { AllowedRoots } from './gateway/roots';
import { Gateway } from './gateway/gateway';
import { nativeFolderChooser } from './dialogs';
import { registerIpc, sendEvent, type IpcRegistration } from './ipc';
import { LEARN_MORE_URL, buildMenuTemplate } from './menu';
import { appRoot, appVersion } from './node/app-root';
import { utilityProcessEngine } from './utility-engine';
import { createMainWindow, hardenContents, openIfSafe, pageUrlOf } from './window';

const APP_NAME = 'Transfer Studio';
// Before the lock and `ready`: one userData folder named after the product, in development and
// packaged alike (Electron derives it from package.json's name before this script runs).
app.setName(APP_NAME);
app.setPath('userData', path.join(app.getPath('appData'), APP_NAME));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  const root = appRoot();
  const preloadPath = path.join(root, 'out', 'preload', 'preload.cjs');
  const pagePath = path.join(root, 'out', 'renderer', 'index.html');
  const pageUrl = pageUrlOf(pagePath);
  const dev = !app.isPackaged;
  const openExternal = shell.openExternal.bind(shell);

  let mainWindow: BrowserWindow | undefined;
  let ipc: IpcRegistration | undefined;
  let lastStatus: EngineStatusEvent = { state: 'stopped' };
  let quitting = false;

  const roots = new AllowedRoots();
  const engine = new EngineLink(
    utilityProcessEngine(utilityProcess, path.join(root, 'out', 'engine', 'entry.js')),
    (status) => {
      lastStatus = status;
      sendEvent(mainWindow, 'engine.status', status);
    },
  );
  const chooseFolders = nativeFolderChooser(dialog, () => mainWindow);
  const hostHandlers = createHostHandlers({
    engine,
    roots,
    chooseFolders,
    showInFolder: (target) => shell.showItemInFolder(target),
  });
  const gateway = new Gateway(engine, roots, hostHandlers);

  const startEngine = () => {
    engine.start().catch((error: unknown) => {
      lastStatus = { state: 'crashed', message: toErrorData(error).message };
      sendEvent(mainWindow, 'engine.status', lastStatus);
    });
  };

  const openWindow = () => {
    const win = createMainWindow({ BrowserWindow, shell, preloadPath, pagePath, dev });
    const contentsId = win.webContents.id;
    // A (re)loaded page missed earlier events: tell it where the engine stands.
    win.webContents.on('did-finish-load', () => sendEvent(win, 'engine.status', lastStatus));
    win.on('closed', () => {
      ipc?.cancelClient(contentsId);
      if (mainWindow === win) mainWindow = undefined;
    });
    mainWindow = win;
  };

  const focusWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      if (app.isReady()) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  app.on('second-instance', focusWindow);

  // Every webContents is locked down from birth; the main window then adds the external-link opener.
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents, { pageUrl });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  app.on('will-quit', (event) => {
    if (quitting || engine.pid === undefined) return;
    quitting = true;
    event.preventDefault();
    void engine.stop().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: appVersion(), website: LEARN_MORE_URL });
    const template = buildMenuTemplate({
      isMac: process.platform === 'darwin',
      dev,
      appName: APP_NAME,
      openFolders: () => {
        void hostHandlers['host.chooseFolders']({})
          .then(({ paths }) => sendEvent(mainWindow, 'host.rootsChanged', { roots: roots.list(), added: paths }))
          .catch((error: unknown) => {
            dialog.showErrorBox('Could not open folders', toErrorData(error).message);
          });
      },
      showAbout: () => app.showAboutPanel(),
      openExternal: (url) => {
        openIfSafe(openExternal, url);
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
    ipc = registerIpc(ipcMain, gateway, () => mainWindow, { roots, pageUrl });
    openWindow();
    startEngine();
  });
}
