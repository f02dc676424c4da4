import { StudioError, quote } from '../../../shared/errors';

/**
 * Parses the text of a JSON file that must hold one object (project.json, run.json…).
 * @param file the path shown in errors.
 * @param what what the file should be, for errors, e.g. "a project" or "a run file".
 * @throws StudioError BAD_INPUT naming the file: empty, not JSON (with the parser's reason), or not an object.
 */
export function parseJsonObject(text: string, file: string, what: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const why = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(error as Error).message})`;
    throw new StudioError('BAD_INPUT', `${quote(file)} cannot be read as ${what}: ${why}.`, { file });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new StudioError(
      'BAD_INPUT',
      `${quote(file)} is not ${what}: expected a JSON object, received ${quote(raw)}.`,
      {
        file,
      },
    );
  }
  return raw as Record<string, unknown>;
}
