import type { z } from 'zod';
import { StudioError } from '../errors';
import type { AnySpec, JobSpec } from './define';
import { systemContract } from './system';
import { dataContract } from './data';
import { modelsContract } from './models';
import { trainingContract } from './training';
import { projectContract } from './project';
import { exportContract } from './export';
import { evaluateContract } from './evaluate';
import { insightContract } from './insight';

export * from './define';
export * from './events';
export * from './system';

/**
 * The one contract: every call and job the UI, the CLI and the server can make, by name.
 * Adding a call = one entry in a domain file + one handler in main/engine/handlers.
 */
export const contract = {
  ...systemContract,
  ...dataContract,
  ...modelsContract,
  ...trainingContract,
  ...projectContract,
  ...exportContract,
  ...evaluateContract,
  ...insightContract,
} as const satisfies Record<string, AnySpec>;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type RequestOf<M extends Method> = z.input<Contract[M]['request']>;
export type ParsedRequestOf<M extends Method> = z.output<Contract[M]['request']>;
export type ResponseOf<M extends Method> = z.output<Contract[M]['response']>;
export type EngineMethod = { [M in Method]: Contract[M]['runsIn'] extends 'engine' ? M : never }[Method];
export type HostMethod = Exclude<Method, EngineMethod>;
export type JobMethod = { [M in Method]: Contract[M] extends JobSpec ? M : never }[Method];
export type ProgressOf<M extends Method> =
  Contract[M] extends JobSpec<z.ZodType, z.ZodType, infer P> ? z.output<P> : never;

export const methods = Object.keys(contract) as Method[];

export function isJobMethod(method: Method): method is JobMethod {
  return contract[method].kind === 'job';
}

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** Describes a zod issue list in one line naming each field: `steps: Too small: expected number to be >=1`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(request)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses a request from `unknown` with the method's schema.
 * @throws StudioError INVALID_REQUEST naming every bad field, or UNKNOWN_METHOD.
 */
export function parseRequest<M extends Method>(method: M, params: unknown): ParsedRequestOf<M>;
export function parseRequest(method: unknown, params: unknown): unknown;
export function parseRequest(method: unknown, params: unknown): unknown {
  if (!isMethod(method)) {
    throw new StudioError('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(method)}.`, { method });
  }
  const result = (contract[method].request as z.ZodType).safeParse(params ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
    throw new StudioError('INVALID_REQUEST', `Invalid request for ${method}: ${describeIssues(result.error)}`, {
      method,
      issues,
    });
  }
  return result.data;
}

/** The user paths named in a parsed request, for the host's root check. */
export function pathsOf(method: Method, parsed: unknown): string[] {
  const spec: AnySpec = contract[method];
  return spec.paths ? spec.paths(parsed as never) : [];
}
