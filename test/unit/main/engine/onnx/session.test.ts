import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convertToOnnx, encodeOnnx } from '../../../../../main/engine/onnx/convert';
import { configuredExtractor, scaleToFloat } from '../../../../../main/engine/onnx/extractor';
import { createOrtSession } from '../../../../../main/engine/onnx/session';

describe('createOrtSession', () => {
  it('falls back to the CPU provider, saying why the better ones were skipped; threads = cores by default', async () => {
    const input = tf.input({ shape: [3] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const bytes = encodeOnnx(convertToOnnx(model));
    const made = await createOrtSession(bytes, { providers: ['cuda', 'no-such-provider'], threads: 2 });
    expect(made.provider).toBe('cpu');
    expect(made.threads).toBe(2);
    expect(made.skipped.map((s) => s.provider)).toEqual(['cuda', 'no-such-provider']);
    expect(made.skipped[1]!.reason).toMatch(/no no-such-provider provider/);
    await made.session.release();
    model.dispose();
  });
});

describe('extractor settings', () => {
  it('reads TRANSFER_STUDIO_EXTRACTOR and quotes a bad value', () => {
    expect(configuredExtractor({})).toBe('auto');
    expect(configuredExtractor({ TRANSFER_STUDIO_EXTRACTOR: 'tfjs' })).toBe('tfjs');
    expect(() => configuredExtractor({ TRANSFER_STUDIO_EXTRACTOR: 'gpu' })).toThrow(/received "gpu"/);
  });
  it('scales pixels in float32 exactly as scalePixels does', async () => {
    await tf.setBackend('cpu');
    const pixels = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);
    for (const scaling of ['x/255', 'x/127.5-1', 'x'] as const) {
      const want = tf.tidy(() => {
        const x = tf.tensor(pixels, [pixels.length], 'int32').toFloat();
        return scaling === 'x/255' ? x.div(255) : scaling === 'x/127.5-1' ? x.div(127.5).sub(1) : x;
      });
      expect(Array.from(scaleToFloat(pixels, scaling))).toEqual(Array.from(want.dataSync()));
      want.dispose();
    }
  });
});
