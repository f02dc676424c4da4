import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRunDir, parseTrainRequest } from '../../../../../main/engine/training/train-request';
import { StudioError } from '../../../../../shared/errors';

describe('parseTrainRequest', () => {
  it('fills the defaults of a minimal request', () => {
    const request = parseTrainRequest({ dirs: ['/data/pets'] });
    expect(request.dirs).toEqual(['/data/pets']);
    expect(request.config.epochs).toBeGreaterThan(0);
  });

  it('names the first bad field and keeps every issue in details', () => {
    let error: unknown;
    try {
      parseTrainRequest({ dirs: ['/data/pets'], config: { epochs: -3 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('BAD_INPUT');
    expect((error as StudioError).message).toMatch(/^Invalid training request config\.epochs: /);
    expect((error as StudioError).details).toMatchObject({ issues: [{ path: ['config', 'epochs'] }] });
  });
});

describe('defaultRunDir', () => {
  const saved = process.env.TRANSFER_STUDIO_DATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRANSFER_STUDIO_DATA;
    else process.env.TRANSFER_STUDIO_DATA = saved;
  });

  it('is a time-stamped folder under <data>/runs, following TRANSFER_STUDIO_DATA', () => {
    process.env.TRANSFER_STUDIO_DATA = path.resolve('/tmp/ts-data');
    expect(defaultRunDir(new Date('2026-01-31T14:05:09.123Z'))).toBe(
      path.join(path.resolve('/tmp/ts-data'), 'runs', '2026-01-31T14-05-09-123Z'),
    );
  });
});
