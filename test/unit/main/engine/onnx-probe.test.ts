import { describe, expect, it } from 'vitest';
import { probeOnnxRuntime } from '../../../../main/engine/onnx-probe';

describe('probeOnnxRuntime', () => {
  it('loads the real onnxruntime-node and lists its execution providers, CPU included', async () => {
    const report = await probeOnnxRuntime();
    expect(report.available).toBe(true);
    expect(report.version).toMatch(/^\d+\.\d+/);
    expect(report.providers).toContainEqual({ name: 'cpu', bundled: true });
    expect(report.extractor).toBe(process.env.TRANSFER_STUDIO_EXTRACTOR || 'auto');
  });
});
