/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export interface InterruptHandlers {
  /** First Ctrl-C: e.g. cancel the job like the Cancel button (the command then ends by itself). */
  first: () => void;
  /** Runs before the process exits on a second Ctrl-C (restore the terminal). Default: nothing. */
  cleanup?: () => void;
}

/**
 * Ctrl-C during a long command: the first press calls `first`; a second one runs `cleanup` and exits at
 * once with {@link EXIT_INTERRUPTED}. (The engine ignores SIGINT itself: its host decides what Ctrl-C means.)
 * @returns a function that removes the handler (call it when the command is over).
 */
export function handleInterrupts({ first, cleanup }: InterruptHandlers): () => void {
  let presses = 0;
  const onSigint = () => {
    presses++;
    if (presses === 1) {
      first();
      return;
    }
    cleanup?.();
    process.stderr.write('transfer-studio: interrupted\n');
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
  };
}
