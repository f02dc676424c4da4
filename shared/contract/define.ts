import type { z } from 'zod';

/**
 * The building blocks of the contract: a call answers once; a job answers once too,
 * but streams progress events meanwhile and can be cancelled.
 */
export interface CallSpec<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
  Where extends 'engine' | 'host' = 'engine' | 'host',
> {
  kind: 'call';
  /** One line for docs and `--help`. */
  summary: string;
  request: Req;
  response: Res;
  /** Where the call runs: the engine process, or the host (Electron main / server) itself. */
  runsIn: Where;
  /** User-supplied filesystem paths in a (parsed) request: the host checks each is under an allowed root. */
  paths?: (request: z.infer<Req>) => string[];
}

export interface JobSpec<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
  Prog extends z.ZodType = z.ZodType,
> {
  kind: 'job';
  summary: string;
  request: Req;
  response: Res;
  /** Progress payload: plain numbers (and a short phase label), throttled to ~8/s. */
  progress: Prog;
  runsIn: 'engine';
  paths?: (request: z.infer<Req>) => string[];
}

export type AnySpec = CallSpec | JobSpec;

/** A call answered by the engine process. */
export function call<Req extends z.ZodType, Res extends z.ZodType>(
  spec: Omit<CallSpec<Req, Res, 'engine'>, 'kind' | 'runsIn'>,
): CallSpec<Req, Res, 'engine'> {
  return { kind: 'call', runsIn: 'engine', ...spec };
}

/** A call answered by the host (Electron main or the server), never by the engine. */
export function hostCall<Req extends z.ZodType, Res extends z.ZodType>(
  spec: Omit<CallSpec<Req, Res, 'host'>, 'kind' | 'runsIn'>,
): CallSpec<Req, Res, 'host'> {
  return { kind: 'call', runsIn: 'host', ...spec };
}

/** A long-running engine job with progress and cancel. */
export function job<Req extends z.ZodType, Res extends z.ZodType, Prog extends z.ZodType>(
  spec: Omit<JobSpec<Req, Res, Prog>, 'kind' | 'runsIn'>,
): JobSpec<Req, Res, Prog> {
  return { kind: 'job', runsIn: 'engine', ...spec };
}
