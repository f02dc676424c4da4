import { pathToFileURL } from 'node:url';
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  HandlerDetails,
  Session,
  Shell,
  WebContents,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';

/**
 * The main window and everything that keeps it ours: a sandboxed, context-isolated renderer that
 * can neither navigate away, open windows, attach webviews nor get permissions, and whose only
 * way out is `shell.openExternal` for plain http(s) links.
 */

/** Content-Security-Policy of our file:// pages (the renderer's meta tag carries the same rules). */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Renderer settings: sandboxed, isolated, no Node, web security on, no webviews, no spellchecker
 * (it would send words to a service on some platforms), no navigation by dropping a file.
 * @param preloadPath absolute path of out/preload/preload.cjs.
 * @param dev allow DevTools. Default: false.
 */
export function secureWebPreferences(preloadPath: string, dev = false): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    experimentalFeatures: false,
    safeDialogs: true,
    devTools: dev,
  };
}

/**
 * True for URLs we hand to the user's browser: http or https with a host and no credentials.
 * Everything else (file:, javascript:, data:, custom protocols, malformed) is refused.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** True when `url` is our own page (same file:// path; query and #hash ignored). */
export function isOwnPage(url: string, pageUrl: string): boolean {
  let parsed: URL;
  let page: URL;
  try {
    parsed = new URL(url);
    page = new URL(pageUrl);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'file:' &&
    parsed.protocol === page.protocol &&
    parsed.host === page.host &&
    parsed.pathname === page.pathname
  );
}

/** Opens a URL in the user's browser when it is safe; never rejects. Returns whether it did. */
export function openIfSafe(openExternal: Shell['openExternal'] | undefined, url: string): boolean {
  if (!openExternal || !isSafeExternalUrl(url)) return false;
  void openExternal(url).catch(() => undefined);
  return true;
}

/** `setWindowOpenHandler` policy: every new window is denied; http(s) links go to the browser. */
export function windowOpenHandler(
  openExternal: Shell['openExternal'] | undefined,
): (details: HandlerDetails) => WindowOpenHandlerResponse {
  return ({ url }) => {
    openIfSafe(openExternal, url);
    return { action: 'deny' };
  };
}

export interface HardenOptions {
  /** file:// URL of our page: the only navigation target allowed. */
  pageUrl: string;
  /** shell.openExternal, used for safe http(s) links only. Default: none (links are only blocked). */
  openExternal?: Shell['openExternal'];
}

/** Locks down a webContents: no new windows, no navigation or redirect off our page, no webviews. */
export function hardenContents(contents: WebContents, { pageUrl, openExternal }: HardenOptions): void {
  contents.setWindowOpenHandler(windowOpenHandler(openExternal));
  contents.on('will-navigate', (event) => {
    if (isOwnPage(event.url, pageUrl)) return;
    event.preventDefault();
    openIfSafe(openExternal, event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isOwnPage(event.url, pageUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isOwnPage(event.url, pageUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Denies every permission request and check, and sets our CSP header on file:// responses. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const csp = contentSecurityPolicy();
  session.webRequest.onHeadersReceived({ urls: ['file://*/*'] }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/** The parts of Electron the main window needs (injected so tests can record the calls). */
export interface MainWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  shell: Pick<Shell, 'openExternal'>;
  /** Absolute path of out/preload/preload.cjs. */
  preloadPath: string;
  /** Absolute path of out/renderer/index.html. */
  pagePath: string;
  /** Development build: DevTools allowed. Default: false. */
  dev?: boolean;
}

/** file:// URL of a page path, as Chromium reports it in navigation events. */
export function pageUrlOf(pagePath: string): string {
  return pathToFileURL(pagePath).href;
}

/** Creates the hardened main window, shows it once painted, and loads our page. */
export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const win = new deps.BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Transfer Studio',
    webPreferences: secureWebPreferences(deps.preloadPath, deps.dev ?? false),
  });
  const openExternal = deps.shell.openExternal.bind(deps.shell);
  hardenSession(win.webContents.session);
  hardenContents(win.webContents, { pageUrl: pageUrlOf(deps.pagePath), openExternal });
  win.once('ready-to-show', () => win.show());
  win.loadFile(deps.pagePath).catch((error: unknown) => {
    console.error(`Transfer Studio: could not load ${deps.pagePath}:`, error);
  });
  return win;
}
