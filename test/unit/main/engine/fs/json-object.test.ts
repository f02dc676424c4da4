import { describe, expect, it } from 'vitest';
import { parseJsonObject } from '../../../../../main/engine/fs/json-object';
import { StudioError } from '../../../../../shared/errors';

function errorOf(text: string): StudioError {
  try {
    parseJsonObject(text, '/p/run.json', 'a run file');
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('expected a StudioError');
}

describe('parseJsonObject', () => {
  it('returns the object', () => {
    expect(parseJsonObject('{"version": 2, "a": [1]}', '/p/run.json', 'a run file')).toEqual({ version: 2, a: [1] });
  });

  it('says an empty file is empty, naming the file and what it should be', () => {
    const error = errorOf('  \n');
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toBe('"/p/run.json" cannot be read as a run file: it is empty.');
    expect(error.details).toEqual({ file: '/p/run.json' });
  });

  it("gives the parser's reason for text that is not JSON", () => {
    expect(errorOf('{"version": 2,').message).toMatch(
      /^"\/p\/run\.json" cannot be read as a run file: it is not valid JSON \(.+\)\.$/,
    );
  });

  it('refuses JSON that is not an object, quoting what it received', () => {
    expect(errorOf('[1, 2]').message).toBe('"/p/run.json" is not a run file: expected a JSON object, received [1,2].');
    expect(errorOf('null').message).toContain('received null');
  });
});
