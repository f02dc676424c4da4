import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Content hashes. sha256 from node:crypto: OpenSSL's implementation runs at several hundred MB/s
 * per core (SHA extensions), far above the cost of decoding the same bytes, so a faster
 * non-cryptographic hash would not change scan speed and sha256 needs no dependency.
 */

/** sha256 of bytes, hex. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file's bytes, streamed (never holds the file in memory), hex. */
export function sha256File(filePath: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(filePath, { signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/** A hex hash mapped to a uniform number in [0, 1) using its first 52 bits. */
export function unitFromHash(hex: string): number {
  return parseInt(hex.slice(0, 13), 16) / 2 ** 52;
}

/** Deterministic JSON (sorted keys) so equal parameters always give equal keys. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Cache key of a derived artefact: content hash + the parameters that produced it. */
export function derivedKey(contentHash: string, params: unknown): string {
  return sha256(`${contentHash}\n${stableStringify(params)}`).slice(0, 40);
}
