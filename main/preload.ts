// The sandboxed preload (bundled to CommonJS as out/preload/preload.cjs): exposes `window.studio`
// and nothing else. All logic lives in preload-bridge.ts, where it is tested.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildBridge } from './preload-bridge';

contextBridge.exposeInMainWorld('studio', buildBridge(ipcRenderer, webUtils));
