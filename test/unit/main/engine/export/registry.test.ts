import { describe, expect, it } from 'vitest';
import {
  formatInfos,
  getFormat,
  listFormats,
  registerFormat,
  type ExportFormat,
} from '../../../../../main/engine/export/registry';
import { StudioError } from '../../../../../shared/errors';
import { ExportFormatInfo, ExportRunRequest } from '../../../../../shared/contract/export';
import { contract, pathsOf } from '../../../../../shared/contract';

const format: ExportFormat = {
  id: 'unit-test-format',
  name: 'Unit test format',
  description: 'Writes nothing; checks the registry.',
  files: ['model.json'],
  export: async () => {},
  verify: async () => ({ ok: true, detail: 'nothing to check' }),
};

describe('export registry', () => {
  it('registers a format once, finds it by id and lists its public description', () => {
    registerFormat(format);
    expect(getFormat('unit-test-format')).toBe(format);
    expect(listFormats()).toContain(format);
    const info = formatInfos().find((entry) => entry.id === 'unit-test-format');
    expect(info).toEqual({
      id: 'unit-test-format',
      name: 'Unit test format',
      description: 'Writes nothing; checks the registry.',
      files: ['model.json'],
    });
    expect(ExportFormatInfo.parse(info)).toEqual(info);
    expect(() => registerFormat(format)).toThrow(/registered twice/);
  });

  it('refuses an unknown id, quoting it and naming the known ones', () => {
    try {
      getFormat('nope');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).code).toBe('BAD_INPUT');
      expect((error as StudioError).message).toContain('"nope"');
      expect((error as StudioError).message).toContain('unit-test-format');
    }
  });
});

describe('export contract', () => {
  it('is registered, and names runDir and outDir as user paths', () => {
    expect(contract['export.run'].kind).toBe('job');
    expect(pathsOf('export.run', { runDir: '/r', formats: ['tfjs'], outDir: '/o' })).toEqual(['/r', '/o']);
    expect(pathsOf('export.run', { runDir: '/r', formats: ['tfjs'] })).toEqual(['/r']);
  });

  it('refuses format ids that could leave exports/ and an empty format list', () => {
    expect(ExportRunRequest.safeParse({ runDir: '/r', formats: ['../x'] }).success).toBe(false);
    expect(ExportRunRequest.safeParse({ runDir: '/r', formats: [] }).success).toBe(false);
    expect(ExportRunRequest.safeParse({ runDir: '/r', formats: ['tfjs', 'tm'] }).success).toBe(true);
  });
});
