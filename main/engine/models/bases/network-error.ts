import { StudioError, quote } from '../../../../shared/errors';

/**
 * A failed download in words a user understands: cancelled, stalled (no data for `idleMs`), offline / server
 * unreachable (with the system's code), or a connection that broke mid-way (with its message).
 * @param stalled the idle timer fired. @param signal the download's cancel signal. Default: none.
 */
export function networkError(
  url: string,
  host: string,
  error: unknown,
  stalled: boolean,
  idleMs: number,
  signal?: AbortSignal,
): unknown {
  if (signal?.aborted) return new StudioError('CANCELLED', 'The download was cancelled.');
  if (error instanceof StudioError) return error;
  if (stalled) {
    return new StudioError(
      'NETWORK',
      `The download from ${host} stalled: no data for ${Math.round(idleMs / 1000)} s (${quote(url)}).`,
      { url },
    );
  }
  const cause = (error as { cause?: { code?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if (
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ECONNREFUSED' ||
    code === 'ENETUNREACH' ||
    code === 'EHOSTUNREACH'
  ) {
    return new StudioError(
      'NETWORK',
      `Cannot reach ${host}: you seem to be offline, or the server is down (${code}).`,
      { url, code },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StudioError('NETWORK', `The connection to ${host} broke while downloading ${quote(url)} (${message}).`, {
    url,
  });
}
