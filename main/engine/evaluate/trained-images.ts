/**
 * The content hashes of the images a run trained and validated on, so that no such image is ever scored
 * as a test image. Derived exactly as the run derived them: its recorded dataset spec and split, re-scanned.
 */
import { CacheStore } from '../data/cache';
import { cacheDir } from '../app-paths';
import { loadDataset, runSplitOf } from '../training/dataset';
import type { RunState } from '../run-folder/run-file';

/**
 * Hashes of the run's training and validation images.
 * @returns undefined when the run's dataset cannot be re-scanned (folders moved or changed); callers say so.
 */
export async function trainedHashes(state: RunState, signal: AbortSignal): Promise<Set<string> | undefined> {
  const spec = state.request.dataset;
  if (!spec) return undefined;
  try {
    const cache = new CacheStore(state.request.cacheDir ?? cacheDir());
    const data = await loadDataset(spec, runSplitOf(state.request.split, state.request.config), cache, signal);
    return new Set([...data.train, ...data.validation].map((image) => image.hash));
  } catch {
    return undefined;
  }
}
