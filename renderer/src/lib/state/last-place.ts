/**
 * Where the user was — the open project, the step and the run — kept in the page's storage, so a
 * reload or a restart of the app reopens the last project at that step. The engine's recent-projects
 * list says which projects exist; this says where in one the user was.
 */
import { STEP_IDS, type StepId } from '../steps';

/** The storage key. */
export const LAST_PLACE_KEY = 'transfer-studio.last-place';

/** The last place: the project folder, the step and (when one was open) the run folder. */
export interface LastPlace {
  dir: string;
  step: StepId;
  /** Absolute run folder. Default: none. */
  run?: string;
}

/** The part of `Storage` used (localStorage in the app; a Map in tests). */
export type PlaceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The page's localStorage, or undefined where there is none (or it is blocked). */
export function pageStorage(): PlaceStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** Reads the last place; undefined when none was kept or what was kept is not a place. */
export function readPlace(storage: PlaceStorage | undefined): LastPlace | undefined {
  let value: unknown;
  try {
    value = JSON.parse(storage?.getItem(LAST_PLACE_KEY) ?? 'null');
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { dir, step, run } = value as Record<string, unknown>;
  if (typeof dir !== 'string' || !dir || !STEP_IDS.includes(step as StepId)) return undefined;
  return { dir, step: step as StepId, ...(typeof run === 'string' && run ? { run } : {}) };
}

/** Keeps the place, or forgets it (undefined: no project open). Storage errors (full, blocked) are ignored. */
export function writePlace(storage: PlaceStorage | undefined, place: LastPlace | undefined): void {
  try {
    if (place) storage?.setItem(LAST_PLACE_KEY, JSON.stringify(place));
    else storage?.removeItem(LAST_PLACE_KEY);
  } catch {
    // A place not kept only means the next start opens no project.
  }
}
