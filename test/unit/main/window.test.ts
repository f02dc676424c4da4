import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  contentSecurityPolicy,
  createMainWindow,
  isOwnPage,
  isSafeExternalUrl,
  pageUrlOf,
  secureWebPreferences,
} from '../../../main/window';

// A path with a space, as many users' app folders have, to cover URL encoding.
const pagePath = path.join(os.tmpdir(), 'Transfer Studio app', 'out', 'renderer', 'index.html');
const preloadPath = path.join(os.tmpdir(), 'Transfer Studio app', 'out', 'preload', 'preload.cjs');
const pageUrl = pageUrlOf(pagePath);

type AnyListener = (...args: unknown[]) => unknown;

/** Records what window.ts does to a BrowserWindow, its webContents and its session. */
class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  readonly contentsListeners = new Map<string, AnyListener[]>();
  readonly windowListeners = new Map<string, AnyListener>();
  openHandler?: AnyListener;
  permissionRequest?: AnyListener;
  permissionCheck?: AnyListener;
  headers?: { filter: unknown; listener: AnyListener };
  loaded?: string;
  shown = 0;
  readonly webContents = {
    setWindowOpenHandler: (handler: AnyListener) => {
      this.openHandler = handler;
    },
    on: (event: string, listener: AnyListener) => {
      this.contentsListeners.set(event, [...(this.contentsListeners.get(event) ?? []), listener]);
    },
    session: {
      setPermissionRequestHandler: (handler: AnyListener) => {
        this.permissionRequest = handler;
      },
      setPermissionCheckHandler: (handler: AnyListener) => {
        this.permissionCheck = handler;
      },
      webRequest: {
        onHeadersReceived: (filter: unknown, listener: AnyListener) => {
          this.headers = { filter, listener };
        },
      },
    },
  };

  constructor(readonly options: BrowserWindowConstructorOptions) {
    FakeBrowserWindow.created.push(this);
  }

  once(event: string, listener: AnyListener) {
    this.windowListeners.set(event, listener);
  }
  show() {
    this.shown++;
  }
  loadFile(file: string) {
    this.loaded = file;
    return Promise.resolve();
  }

  /** Fires a navigation-like event; returns whether the listeners prevented it. */
  fire(event: string, url: string): boolean {
    const preventDefault = vi.fn();
    for (const listener of this.contentsListeners.get(event) ?? []) listener({ url, preventDefault });
    return preventDefault.mock.calls.length > 0;
  }
}

function makeWindow(dev = false) {
  const openExternal = vi.fn<Shell['openExternal']>(async () => undefined);
  const win = createMainWindow({
    BrowserWindow: FakeBrowserWindow as unknown as new (options: BrowserWindowConstructorOptions) => BrowserWindow,
    shell: { openExternal },
    preloadPath,
    pagePath,
    dev,
  }) as unknown as FakeBrowserWindow;
  return { win, openExternal };
}

describe('secure webPreferences', () => {
  it('sandboxes and isolates the renderer, with our preload', () => {
    const { win } = makeWindow();
    expect(win.options.webPreferences).toEqual({
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
      devTools: false,
    });
    expect(win.options.show).toBe(false);
  });

  it('allows DevTools only in development', () => {
    expect(secureWebPreferences(preloadPath, true).devTools).toBe(true);
    expect(secureWebPreferences(preloadPath).devTools).toBe(false);
  });

  it('loads our page and shows the window once it is ready', () => {
    const { win } = makeWindow();
    expect(win.loaded).toBe(pagePath);
    expect(win.shown).toBe(0);
    win.windowListeners.get('ready-to-show')?.();
    expect(win.shown).toBe(1);
  });
});

describe('new windows and external links', () => {
  const cases: [string, boolean][] = [
    ['https://www.tensorflow.org/js', true],
    ['http://example.com/page?q=1', true],
    ['HTTPS://EXAMPLE.COM/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['mailto:someone@example.com', false],
    ['smb://server/share', false],
    ['ms-settings:privacy', false],
    ['transfer-studio://open', false],
    ['https://user:secret@example.com/', false],
    ['not a url', false],
    ['', false],
  ];

  for (const [url, opens] of cases) {
    it(`denies window.open(${JSON.stringify(url)}) and ${opens ? 'opens it in the browser' : 'opens nothing'}`, () => {
      const { win, openExternal } = makeWindow();
      expect(win.openHandler?.({ url, frameName: '', features: '', disposition: 'new-window', referrer: {} })).toEqual({
        action: 'deny',
      });
      if (opens) expect(openExternal).toHaveBeenCalledExactlyOnceWith(url);
      else expect(openExternal).not.toHaveBeenCalled();
      expect(isSafeExternalUrl(url)).toBe(opens);
    });
  }
});

describe('navigation', () => {
  it('allows our own page, also with a #route', () => {
    const { win, openExternal } = makeWindow();
    expect(win.fire('will-navigate', pageUrl)).toBe(false);
    expect(win.fire('will-navigate', `${pageUrl}#/train`)).toBe(false);
    expect(win.fire('will-redirect', pageUrl)).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('blocks every other page, local or remote; web links go to the browser instead', () => {
    const { win, openExternal } = makeWindow();
    const sibling = pathToFileURL(path.join(path.dirname(pagePath), 'other.html')).href;
    for (const url of ['https://evil.example/', 'file:///etc/passwd', sibling, 'javascript:alert(1)', 'about:blank']) {
      expect(win.fire('will-navigate', url), url).toBe(true);
      expect(win.fire('will-frame-navigate', url), url).toBe(true);
      expect(win.fire('will-redirect', url), url).toBe(true);
    }
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://evil.example/');
  });

  it('never attaches a webview', () => {
    const { win } = makeWindow();
    const preventDefault = vi.fn();
    for (const listener of win.contentsListeners.get('will-attach-webview') ?? []) listener({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
  });

  it('recognises our page by its exact file path', () => {
    expect(isOwnPage(pageUrl, pageUrl)).toBe(true);
    expect(pageUrl).toContain('Transfer%20Studio%20app');
    expect(isOwnPage(`${pageUrl}?x=1#y`, pageUrl)).toBe(true);
    expect(isOwnPage(pageUrl.replace('index.html', 'index.htm'), pageUrl)).toBe(false);
    expect(isOwnPage(pageUrl.replace('file://', 'http://'), pageUrl)).toBe(false);
    expect(isOwnPage(pageUrl.replace('file:///', 'file://evil-host/'), pageUrl)).toBe(false);
    expect(isOwnPage('garbage', pageUrl)).toBe(false);
  });
});

describe('session', () => {
  it('denies every permission request and check', () => {
    const { win } = makeWindow();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fileSystem',
    ]) {
      const callback = vi.fn();
      win.permissionRequest?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(win.permissionCheck?.({}, permission, 'file://', {})).toBe(false);
    }
  });

  it('adds our CSP to file:// responses, keeping their other headers', () => {
    const { win } = makeWindow();
    expect(win.headers?.filter).toEqual({ urls: ['file://*/*'] });
    const callback = vi.fn();
    win.headers?.listener({ url: pageUrl, responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy()] },
    });
  });

  it('has a CSP without remote code, inline scripts, plugins or frames', () => {
    const directives = new Map(
      contentSecurityPolicy()
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values] as const),
    );
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/'unsafe-eval'|https?:|\*/);
  });
});
