import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InfoResponse } from '../../../shared/contract/system';

const run = promisify(execFile);

describe('transfer-studio info', () => {
  it('--json prints exactly one JSON document matching the contract', async () => {
    const { stdout } = await run(process.execPath, ['bin/transfer-studio.js', 'info', '--json']);
    const info = InfoResponse.parse(JSON.parse(stdout));
    expect(info.backend.tried.length).toBeGreaterThan(0);
    expect(info.onnxruntime.available).toBe(true);
  });

  it('prints a readable report without --json', async () => {
    const { stdout } = await run(process.execPath, ['bin/transfer-studio.js', 'info']);
    expect(stdout).toMatch(/^Transfer Studio \d/);
    expect(stdout).toMatch(/Backend: (wasm|cpu|tensorflow)/);
    expect(stdout).toMatch(/ONNX Runtime: available/);
  });

  it('exits non-zero with a one-line reason on a bad option', async () => {
    const failure = await run(process.execPath, ['bin/transfer-studio.js', 'serve', '--port', 'abc']).catch((e) => e);
    expect(failure.code).not.toBe(0);
    expect(failure.stderr).toMatch(/expected a port from 0 to 65535, received "abc"/);
  });
});
