/** One problem found in a head spec, with the index of the layer (-1 = output, -2 = whole spec). */
export interface HeadSpecIssue {
  index: number;
  message: string;
}

/** Thrown by the head spec validator, the CLI head parser and the head operations; `issues` lists every problem. */
export class HeadSpecError extends Error {
  readonly issues: HeadSpecIssue[];
  constructor(issues: HeadSpecIssue[]) {
    super(`Invalid head: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'HeadSpecError';
    this.issues = issues;
  }
}
