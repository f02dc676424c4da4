/**
 * Turns project.json text into a checked {@link ProjectFile}, or an error that names the file, the
 * bad field and the value received — e.g. `head.layers.0.units: expected units to be an integer > 0, received 0`.
 */
import type { z } from 'zod';
import { ProjectFile, type ProjectFile as ProjectFileData } from '../../../shared/contract/project';
import { headSpecIssues, type HeadSpec } from '../../../shared/layer-spec';
import { StudioError, quote } from '../../../shared/errors';
import { migrateProject } from './migrate';
import { parseJsonObject } from '../fs/json-object';

/** One bad field of a project. */
export interface ProjectIssue {
  /** Dotted path, e.g. "head.layers.0.units". */
  field: string;
  message: string;
}

/**
 * Problems of a head that hold whatever base it sits on (units, rates, names, output): the rank
 * checks (spatial vs flat layers) need the base's feature shape and run when the model is built.
 */
export function headIssues(head: HeadSpec): ProjectIssue[] {
  const flat = headSpecIssues(head, { featureShape: [1] });
  const spatial = new Set(headSpecIssues(head, { featureShape: [7, 7, 1] }).map((issue) => issue.message));
  return flat
    .filter((issue) => spatial.has(issue.message))
    .map((issue) => ({
      field: issue.index >= 0 ? `head.layers.${issue.index}` : issue.index === -1 ? 'head.output' : 'head',
      message: issue.message,
    }));
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Schema issues as fields + messages quoting the received value. */
export function schemaIssues(error: z.ZodError, raw: unknown): ProjectIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(file)';
    const value = valueAt(raw, issue.path);
    const received = issue.code === 'unrecognized_keys' || value === undefined ? '' : `, received ${quote(value)}`;
    return { field, message: `${issue.message}${received}` };
  });
}

/** Throws BAD_INPUT listing every issue, naming `where` (the file, or "the update of <file>"). */
export function throwIssues(where: string, issues: ProjectIssue[], file: string): never {
  const list = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  throw new StudioError('BAD_INPUT', `${where} is not a valid project: ${list}.`, { file, issues });
}

/**
 * Checks a whole project object (already at the current format) with defaults filled in.
 * @throws StudioError BAD_INPUT naming `where`, each bad field and the value received.
 */
export function checkProject(raw: unknown, where: string, file: string): ProjectFileData {
  const parsed = ProjectFile.safeParse(raw);
  if (!parsed.success) throwIssues(where, schemaIssues(parsed.error, raw), file);
  const issues = headIssues(parsed.data.head);
  if (issues.length > 0) throwIssues(where, issues, file);
  return parsed.data;
}

/**
 * Parses project.json text: JSON → migration to the current format → schema and head checks.
 * @throws StudioError BAD_INPUT naming the file (and the field) when it cannot be used.
 */
export function parseProjectText(text: string, file: string): { project: ProjectFileData; migratedFrom?: number } {
  const raw = parseJsonObject(text, file, 'a project');
  const { raw: current, from } = migrateProject(raw, file);
  const project = checkProject(current, quote(file), file);
  return from < project.formatVersion ? { project, migratedFrom: from } : { project };
}
