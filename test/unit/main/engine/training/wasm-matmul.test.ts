/** The wasm BatchMatMul with explicit transposes gives the cpu backend's results and frees its temporaries. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../main/engine/training/wasm-setup';
import { useFastWasmMatMul } from '../../../../../main/engine/training/wasm-matmul';
import { createRandom } from '../../../../../main/engine/training/seed';

const values = (n: number, seed: number) => {
  const r = createRandom(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};

async function product(
  backend: string,
  aShape: number[],
  bShape: number[],
  ta: boolean,
  tb: boolean,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const a = tf.tensor(
    values(
      aShape.reduce((p, d) => p * d, 1),
      1,
    ),
    aShape,
  );
  const b = tf.tensor(
    values(
      bShape.reduce((p, d) => p * d, 1),
      2,
    ),
    bShape,
  );
  const before = tf.memory().numTensors;
  const out = tf.matMul(a, b, ta, tb);
  expect(tf.memory().numTensors).toBe(before + 1);
  const data = (await out.data()) as Float32Array;
  tf.dispose([a, b, out]);
  return data;
}

describe('fast wasm BatchMatMul', () => {
  beforeAll(async () => {
    await useWasmBackend();
    useFastWasmMatMul();
    expect(useFastWasmMatMul()).toBe(false); // idempotent
  });

  it.each([
    [[32, 130], [32, 17], true, false],
    [[32, 17], [130, 17], false, true],
    [[17, 32], [130, 17], true, true],
    [[3, 8, 5], [3, 8, 4], true, false],
    [[3, 5, 8], [3, 4, 8], false, true],
    [[6, 9], [9, 4], false, false],
  ] as const)('a%j·b%j (transposeA=%s, transposeB=%s) matches cpu', async (aShape, bShape, ta, tb) => {
    const cpu = await product('cpu', [...aShape], [...bShape], ta, tb);
    const wasm = await product('wasm', [...aShape], [...bShape], ta, tb);
    expect(wasm.length).toBe(cpu.length);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i]! - cpu[i]!)).toBeLessThan(1e-4);
  });
});
