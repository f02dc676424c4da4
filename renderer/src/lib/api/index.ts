import type { StudioBridge } from '../../../../shared/contract/bridge';
import type { StudioClient } from './client';
import { ElectronClient } from './electron-client';
import { WebClient } from './web-client';

export type { StudioClient, CallOptions } from './client';

/** The client for where the renderer runs: the Electron bridge if present, else the WebSocket. */
export function connect(): StudioClient {
  const bridge = (globalThis as { studio?: StudioBridge }).studio;
  return bridge ? new ElectronClient(bridge) : new WebClient(WebClient.urlFor(window.location));
}
