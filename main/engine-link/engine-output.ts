/** A stream of the engine's output (Node's Readable and Electron's utilityProcess streams fit). */
type OutputStream = NodeJS.ReadableStream | null | undefined;

/** How much of the engine's stderr is kept for the crash message. */
const STDERR_TAIL_CHARS = 4000;

/**
 * Copies an engine process's stdout and stderr to `log` (never our stdout, which may carry JSON) and
 * keeps the end of its stderr. Returns a function giving that tail, trimmed (undefined when empty),
 * for the ENGINE_CRASHED details.
 */
export function pipeEngineOutput(
  stdout: OutputStream,
  stderr: OutputStream,
  log: NodeJS.WritableStream,
): () => string | undefined {
  let stderrTail = '';
  stdout?.on('data', (chunk: Buffer | string) => log.write(chunk));
  stderr?.on('data', (chunk: Buffer | string) => {
    log.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  });
  return () => stderrTail.trim() || undefined;
}
