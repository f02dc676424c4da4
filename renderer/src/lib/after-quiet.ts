/**
 * Runs `action` once `delayMs` pass without the returned cleanup being called: the debounce an
 * `$effect` wants (return the cleanup from the effect, and each re-run restarts the wait).
 */
export function afterQuiet(action: () => void, delayMs: number): () => void {
  const timer = setTimeout(action, delayMs);
  return () => clearTimeout(timer);
}
