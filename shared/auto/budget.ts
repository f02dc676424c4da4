/**
 * A time budget for a training run, as a user types it ("90s", "5m", "1h", "1.5h", "2 min") and in words.
 */
import { StudioError, quote } from '../errors';

/** The shortest budget accepted, in seconds. */
export const MIN_BUDGET_SECONDS = 10;
/** The longest budget accepted, in seconds (two days). */
export const MAX_BUDGET_SECONDS = 48 * 3600;

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
};

/**
 * Seconds of a budget: a positive number followed by a unit, s / m / h (or sec / min / hour…), e.g. "90s",
 * "5m", "1h", "1.5h"; or several of them, e.g. "1h30m".
 * @throws StudioError BAD_INPUT quoting the value when it is not a budget or lies outside 10 s … 48 h.
 */
export function parseBudget(text: string): number {
  const value = text.trim().toLowerCase();
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;
  let seconds = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(value)) !== null) {
    const unit = UNITS[match[2]!];
    if (unit === undefined) break;
    seconds += Number(match[1]) * unit;
    consumed = part.lastIndex;
  }
  if (value === '' || consumed !== value.length) {
    throw new StudioError(
      'BAD_INPUT',
      `Invalid time budget ${quote(text)}: expected a number with a unit, e.g. 90s, 5m or 1h.`,
      { received: text },
    );
  }
  if (seconds < MIN_BUDGET_SECONDS || seconds > MAX_BUDGET_SECONDS) {
    throw new StudioError(
      'BAD_INPUT',
      `Invalid time budget ${quote(text)}: it must lie between ${MIN_BUDGET_SECONDS} s and ${MAX_BUDGET_SECONDS / 3600} h.`,
      { received: text },
    );
  }
  return Math.round(seconds);
}

/** A budget in short words: 90 → "90 s", 300 → "5 min", 5400 → "1 h 30 min", 3600 → "1 h". */
export function budgetWords(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 3600) {
    const minutes = Math.round(s / 60);
    return `${minutes} min`;
  }
  const hours = Math.floor(s / 3600);
  const minutes = Math.round((s % 3600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** A budget as an adjective for sentences: 90 → "90-second", 300 → "5-minute", 3600 → "1-hour", 5400 → "1 h 30 min". */
export function budgetAdjective(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s}-second`;
  if (s < 3600) return `${Math.round(s / 60)}-minute`;
  if (s % 3600 === 0) return `${s / 3600}-hour`;
  return budgetWords(s);
}
