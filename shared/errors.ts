/**
 * Typed errors that cross process boundaries (engine → host → renderer/CLI).
 * Every error is plain data: `{code, message, details}` so it survives structured clone and JSON.
 */

/** Error codes every layer understands. */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_METHOD',
  'ENGINE_CRASHED',
  'ENGINE_UNAVAILABLE',
  'CANCELLED',
  'PATH_NOT_ALLOWED',
  'NOT_FOUND',
  'BAD_INPUT',
  'UNSUPPORTED',
  'NETWORK',
  'CONFLICT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The wire form of an error. */
export interface StudioErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An Error subclass carrying a code and optional details; converts to and from {@link StudioErrorData}. */
export class StudioError extends Error implements StudioErrorData {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.details = details;
  }

  toData(): StudioErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: StudioErrorData): StudioError {
    return new StudioError(data.code, data.message, data.details);
  }
}

/** Turns anything thrown into wire data, keeping codes of StudioErrors and messages of others. */
export function toErrorData(error: unknown): StudioErrorData {
  if (error instanceof StudioError) return error.toData();
  if (isErrorData(error)) return { code: error.code, message: error.message, details: error.details };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: `Unexpected error: ${String(error)}` };
}

/** True for objects shaped like {@link StudioErrorData} with a known code. */
export function isErrorData(value: unknown): value is StudioErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.message === 'string' &&
    typeof candidate.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(candidate.code)
  );
}

/** Quotes a received value the Keras way for error messages: strings in quotes, objects as JSON. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
