/**
 * Whether the catalog's server answers now, for the base recommendation: one short HEAD request for a catalog
 * model.json (no download), with a timeout; failures in the download code's plain words (network-error.ts).
 */
import { CATALOG_BASES } from './catalog';
import { networkError } from './network-error';

/** Options of {@link catalogReachable}. */
export interface ReachableOptions {
  /** The URL asked. Default: the first catalog base's model.json. */
  url?: string;
  /** Give up after this long. Default: 4000 ms. */
  timeoutMs?: number;
}

/** The answer of {@link catalogReachable}. */
export interface Reachability {
  reachable: boolean;
  host: string;
  /** Why not, in plain words. */
  message?: string;
}

/** Asks the catalog's server (see the file comment); never throws. */
export async function catalogReachable(options: ReachableOptions = {}): Promise<Reachability> {
  const url = options.url ?? CATALOG_BASES[0]!.url;
  const host = new URL(url).host;
  const timeoutMs = options.timeoutMs ?? 4000;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await fetch(url, { method: 'HEAD', signal: controller.signal });
    if (response.ok) return { reachable: true, host };
    return { reachable: false, host, message: `${host} answered HTTP ${response.status} ${response.statusText}.` };
  } catch (error) {
    const failure = networkError(url, host, error, timedOut, timeoutMs);
    return { reachable: false, host, message: (failure as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
