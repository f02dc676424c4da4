import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../../fs/atomic-write';

/**
 * Writes a float32 array as NumPy .npy (format 1.0, little-endian '<f4', C order), readable by `numpy.load`.
 */
export async function writeNpy(file: string, data: Float32Array, shape: readonly number[]): Promise<void> {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  await writeFileAtomic(file, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}

/** Reads a float32 .npy written by {@link writeNpy} (for tests and tools). */
export async function readNpy(file: string): Promise<{ data: Float32Array; shape: number[] }> {
  const bytes = await fs.readFile(file);
  const length = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + length).toString('latin1');
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const body = bytes.subarray(10 + length);
  const copy = new Uint8Array(body);
  return { data: new Float32Array(copy.buffer), shape };
}

/** Writes rows as CSV: `file,f0,f1,…`, one image per line (features flattened). */
export async function writeFeatureCsv(
  file: string,
  names: readonly string[],
  data: Float32Array,
  perRow: number,
): Promise<void> {
  const lines = [['file', ...Array.from({ length: perRow }, (_, i) => `f${i}`)].join(',')];
  names.forEach((name, r) => {
    const cells = Array.from(data.subarray(r * perRow, (r + 1) * perRow), (v) => String(v));
    lines.push([csvCell(name), ...cells].join(','));
  });
  await writeFileAtomic(file, `${lines.join('\n')}\n`);
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
