import type { DuplicateGroup, Problem, ProblemKind, ScanSummary } from '../../../../shared/contract/data';

/** One group of the health report: one kind of finding, with its files. */
export interface HealthGroup {
  /** A problem kind, 'duplicate', 'label-conflict' or 'resolved-conflict'. */
  kind: ProblemKind | DuplicateGroup['kind'];
  /** Plain-words title, e.g. "Damaged files". */
  title: string;
  /** What it means and what happens to the files. */
  explanation: string;
  /** 'error': the files are left out; 'warning': they are used. */
  severity: 'error' | 'warning';
  /** How many files (problems) or groups of copies (duplicates). */
  count: number;
  /** The files with their messages (problems), as listed in the scan (may be capped). */
  problems: readonly Problem[];
  /** The groups of identical files (duplicates and label conflicts, open or resolved). */
  duplicates: readonly DuplicateGroup[];
}

const WORDS: Record<HealthGroup['kind'], { title: string; explanation: string }> = {
  corrupt: { title: 'Damaged images', explanation: 'These files could not be decoded; they are left out.' },
  'zero-byte': { title: 'Empty files', explanation: 'These files hold no data; they are left out.' },
  'not-an-image': { title: 'Not images', explanation: 'These files are not pictures; they are left out.' },
  'wrong-extension': {
    title: 'Wrong file extension',
    explanation: 'The name says one format, the bytes another. They are read by their content and used.',
  },
  'unsupported-format': {
    title: 'Unsupported formats',
    explanation: 'Images in a format the app cannot read; they are left out.',
  },
  'decompression-bomb': {
    title: 'Far too large',
    explanation: 'Images with more pixels than is safe to decode; they are left out.',
  },
  tiny: { title: 'Very small images', explanation: 'They are used, but enlarged, so they look blurry to the model.' },
  animated: { title: 'Animated images', explanation: 'Only the first frame is used.' },
  unreadable: {
    title: 'Unreadable files or folders',
    explanation: 'They could not be opened (permissions?); they are left out.',
  },
  'outside-class': {
    title: 'Files outside any class',
    explanation: 'They sit directly in a folder of class folders, so they have no class; they are left out.',
  },
  'empty-class': {
    title: 'Empty class folders',
    explanation: 'These class folders hold no files, so they give no class; add images or remove the folder.',
  },
  'bad-name': {
    title: 'Unusable file names',
    explanation: 'These names are not valid text (another system wrote them); rename the files to use them.',
  },
  duplicate: {
    title: 'Duplicates',
    explanation: 'Identical copies within one class. Only one copy of each is used, so no image counts twice.',
  },
  'label-conflict': {
    title: 'Same image in two classes',
    explanation:
      'The same picture is labelled differently, so it is left out of training. Keep it in one class to use it (your files stay where they are).',
  },
  'resolved-conflict': {
    title: 'Label conflicts you settled',
    explanation:
      'Each picture is used only in the class you kept it in (or nowhere); the other copies are left out, and your files stay where they are. Undo to choose again.',
  },
};

/** Title and explanation of a kind of finding. */
export function wordsFor(kind: HealthGroup['kind']): { title: string; explanation: string } {
  return WORDS[kind];
}

/**
 * The health report of a scan: problems grouped by kind (left-out files and open label conflicts
 * first), then the conflicts the user settled, then warnings and duplicates. Counts come from `problemCounts`, complete even when the list is capped.
 */
export function healthGroups(summary: ScanSummary): HealthGroup[] {
  const byKind = new Map<ProblemKind, Problem[]>();
  for (const problem of summary.problems) {
    const list = byKind.get(problem.kind) ?? [];
    list.push(problem);
    byKind.set(problem.kind, list);
  }
  const kinds = new Set<ProblemKind>([...byKind.keys(), ...(Object.keys(summary.problemCounts) as ProblemKind[])]);
  const groups: HealthGroup[] = [...kinds].map((kind) => {
    const problems = byKind.get(kind) ?? [];
    const severity = problems.some((problem) => problem.severity === 'error')
      ? 'error'
      : problems.length > 0
        ? 'warning'
        : 'error';
    return {
      kind,
      ...WORDS[kind],
      severity,
      count: summary.problemCounts[kind] ?? problems.length,
      problems,
      duplicates: [],
    };
  });
  for (const kind of ['label-conflict', 'resolved-conflict', 'duplicate'] as const) {
    const duplicates = summary.duplicates.filter((group) => group.kind === kind);
    if (duplicates.length === 0) continue;
    // Label conflicts are left out of every class (the engine's decision), so they are errors; extra copies are not.
    const severity = kind === 'label-conflict' ? 'error' : 'warning';
    groups.push({ kind, ...WORDS[kind], severity, count: duplicates.length, problems: [], duplicates });
  }
  // Left-out files first, then the conflicts the user settled (to undo them), then the files used anyway.
  const rank = (group: HealthGroup) => (group.severity === 'error' ? 0 : group.kind === 'resolved-conflict' ? 1 : 2);
  return groups.sort((a, b) => rank(a) - rank(b) || b.count - a.count || a.title.localeCompare(b.title));
}
