import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineLink } from '../../../../main/engine-link/engine-link';
import { createHostHandlers } from '../../../../main/gateway/host-handlers';
import { AllowedRoots } from '../../../../main/gateway/roots';
import { pathsOf } from '../../../../shared/contract';

describe('host.showInFolder', () => {
  const roots = new AllowedRoots([mkdtempSync(path.join(os.tmpdir(), 'ts-show-'))]);
  const engine = {} as EngineLink;

  it('shows the path with the desktop shell, and names the path for the root check', async () => {
    const shown: string[] = [];
    const handlers = createHostHandlers({ engine, roots, showInFolder: (target) => shown.push(target) });
    await expect(handlers['host.showInFolder']({ path: '/runs/r1/exports/tfjs' })).resolves.toEqual({});
    expect(shown).toEqual(['/runs/r1/exports/tfjs']);
    expect(pathsOf('host.showInFolder', { path: '/runs/r1/exports/tfjs' })).toEqual(['/runs/r1/exports/tfjs']);
  });

  it('is UNSUPPORTED in browser mode (no shell), pointing at the .zip download', async () => {
    const handlers = createHostHandlers({ engine, roots });
    await expect(handlers['host.showInFolder']({ path: '/x' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('.zip'),
    });
  });
});
