import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convertToOnnx, encodeOnnx } from '../../../../../main/engine/onnx/convert';
import { PooledSession } from '../../../../../main/engine/onnx/session-pool';

describe('PooledSession', () => {
  it('runs on a worker, ends it after the idle time, and starts it again for a later run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pool-'));
    try {
      const input = tf.input({ shape: [2] });
      const dense = tf.layers.dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' });
      const model = tf.model({ inputs: input, outputs: dense.apply(input) as tf.SymbolicTensor });
      const file = path.join(dir, 'm.onnx');
      writeFileSync(file, encodeOnnx(convertToOnnx(model)));
      const pooled = new PooledSession(file, { threads: 1 }, 100);
      const first = await pooled.start();
      expect(first.provider).toBe('cpu');
      expect(Array.from(await pooled.run(Float32Array.from([1, 2, 3, 4]), [2, 2]))).toEqual([3, 7]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const second = await pooled.start();
      expect(second).not.toBe(first); // the idle worker was ended; a new one started
      expect(Array.from(await pooled.run(Float32Array.from([5, 5]), [1, 2]))).toEqual([10]);
      await pooled.release();
      model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
