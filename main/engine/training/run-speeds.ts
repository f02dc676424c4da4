/**
 * A run's own speed figures, recorded in the machine's speed store (models/speed/speed-store.ts) so the Base step
 * and the automatic settings see what this computer really does: extraction images/s per engine, head rows/s and
 * fine-tuning images/s. Too little work (a few cache misses) measures nothing; a store that cannot be written
 * never fails the run.
 */
import { recordSpeed, type SpeedKind } from '../models/speed/speed-store';

/** Fewest items (images or rows) worth a figure. */
const MIN_ITEMS = 16;
/** Shortest time worth a figure, in seconds. */
const MIN_SECONDS = 0.5;

/** Records `items` done in `seconds` as `kind` for `base`, from a run (see the file comment). */
export async function recordRunSpeed(base: string, kind: SpeedKind, items: number, seconds: number): Promise<void> {
  if (items < MIN_ITEMS || seconds < MIN_SECONDS) return;
  await recordSpeed(base, kind, items / seconds, 'run').catch(() => undefined);
}

/** A stopwatch in seconds. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => (performance.now() - started) / 1000;
}
