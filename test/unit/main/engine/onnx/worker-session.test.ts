import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convertToOnnx, encodeOnnx } from '../../../../../main/engine/onnx/convert';
import { scaleTable, scaleToFloat } from '../../../../../main/engine/onnx/extractor';
import { WorkerSession } from '../../../../../main/engine/onnx/worker-session';

describe('WorkerSession.runPixels', () => {
  it('scales bytes in the worker exactly as scaleToFloat does, moves the buffer when asked, and answers in order', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [4, 4, 3] });
    const conv = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
    const pooled = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: pooled });
    const session = await WorkerSession.create(encodeOnnx(convertToOnnx(model)), { threads: 2, spinning: false });
    try {
      const batches = [0, 1, 2, 3].map((b) => Uint8Array.from({ length: 3 * 48 }, (_, i) => (i * 7 + b * 31) % 256));
      for (const scaling of ['x/255', 'x/127.5-1', 'x'] as const) {
        const table = scaleTable(scaling);
        const want = await Promise.all(batches.map((p) => session.run(scaleToFloat(p, scaling), [3, 4, 4, 3])));
        // Several batches posted at once, some moved: each answer belongs to its own batch.
        const got = await Promise.all(
          batches.map((p, b) => session.runPixels(b % 2 ? p.slice() : p, [3, 4, 4, 3], table, b % 2 === 1)),
        );
        expect(got.map((g) => Array.from(g))).toEqual(want.map((w) => Array.from(w)));
        expect(got[0]!.length).toBe(15);
      }
      const moved = batches[0]!.slice();
      await session.runPixels(moved, [3, 4, 4, 3], scaleTable('x'), true);
      expect(moved.byteLength).toBe(0); // detached: it went to the worker without a copy
      const kept = batches[0]!.slice();
      await session.runPixels(kept, [3, 4, 4, 3], scaleTable('x'));
      expect(kept.byteLength).toBe(3 * 48);
      await expect(session.runPixels(new Uint8Array(5), [3, 4, 4, 3], scaleTable('x'))).rejects.toThrow(
        /ONNX Runtime failed/,
      );
    } finally {
      await session.release();
      model.dispose();
    }
  });

  it('with two workers, runs batches side by side and gives each caller its own answer', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [8, 8, 3] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu' }).apply(input);
    const model = tf.model({ inputs: input, outputs: tf.layers.flatten().apply(conv) as tf.SymbolicTensor });
    const bytes = encodeOnnx(convertToOnnx(model));
    const one = await WorkerSession.create(bytes, { threads: 1 });
    const two = await WorkerSession.create(bytes, { threads: 1, workers: 2, spinning: false });
    try {
      expect([one.parallel, two.parallel, two.threads]).toEqual([1, 2, 1]);
      const table = scaleTable('x/127.5-1');
      const batches = Array.from({ length: 6 }, (_, b) =>
        Uint8Array.from({ length: (b + 1) * 192 }, (_, i) => (i * 13 + b * 59) % 256),
      );
      const want = await Promise.all(batches.map((p) => one.runPixels(p, [p.length / 192, 8, 8, 3], table)));
      const got = await Promise.all(batches.map((p) => two.runPixels(p, [p.length / 192, 8, 8, 3], table)));
      expect(got.map((g) => g.length)).toEqual(batches.map((p) => (p.length / 192) * 36));
      expect(got.map((g) => Array.from(g))).toEqual(want.map((w) => Array.from(w)));
    } finally {
      await one.release();
      await two.release();
      model.dispose();
    }
  });
});
