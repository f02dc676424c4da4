/**
 * A training request from a UI or the CLI, parsed from `unknown`, and where its run folder goes when it names none.
 */
import path from 'node:path';
import { TrainRequest } from '../../../shared/contract/training';
import { StudioError } from '../../../shared/errors';
import { runsDir } from '../app-paths';

/**
 * Parses a training request, filling the contract's defaults.
 * @throws StudioError BAD_INPUT naming the first field that fails (all of them in `details.issues`).
 */
export function parseTrainRequest(input: unknown): TrainRequest {
  const parsed = TrainRequest.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new StudioError(
    'BAD_INPUT',
    `Invalid training request ${issue.path.join('.') || '(request)'}: ${issue.message}`,
    {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    },
  );
}

/** Default run folder: `<user data>/runs/<timestamp>` (see app-paths.ts: `TRANSFER_STUDIO_DATA`). */
export function defaultRunDir(now = new Date()): string {
  return path.join(runsDir(), now.toISOString().replace(/[:.]/g, '-'));
}
