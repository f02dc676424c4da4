/**
 * The readable report of `transfer-studio inspect`: possible mislabels, near-duplicates, split leakage, label
 * conflicts and outliers, each in its own section (like `scan`'s report), the longest lists cut with a count.
 */
import type { InsightResult } from '../../shared/contract/insight';

/** Items shown per section before "… and N more". */
const SHOWN = 20;

function more(total: number): string[] {
  return total > SHOWN ? [`  … and ${total - SHOWN} more (use --json for all)`] : [];
}

/** The report of an insight as lines of text. */
export function formatInspectReport(result: InsightResult): string {
  const lines: string[] = [];
  const accuracy =
    result.outOfFoldAccuracy === null ? '' : `, out-of-fold accuracy ${(result.outOfFoldAccuracy * 100).toFixed(1)}%`;
  lines.push(
    `Inspected ${result.images.length} images in ${result.classes.length} classes with ${result.base}` +
      ` (${result.settings.folds} folds, seed ${result.settings.seed}${accuracy}) in ${(result.durationMs / 1000).toFixed(1)} s`,
  );
  const path = (i: number) => JSON.stringify(result.images[i]!.path);

  lines.push('', `Possible mislabels (${result.suspects.length}):`);
  if (result.suspects.length === 0) lines.push('  none');
  result.suspects
    .slice(0, SHOWN)
    .forEach((s, rank) =>
      lines.push(
        `  ${String(rank + 1).padStart(3)}. ${path(s.image)} labelled ${JSON.stringify(s.label)}, looks like ${JSON.stringify(s.suggested)}` +
          ` (p ${s.givenProbability.toFixed(2)} vs ${s.suggestedProbability.toFixed(2)})`,
      ),
    );
  lines.push(...more(result.suspects.length));

  const sections: [string, InsightResult['nearDuplicates'][number]['kind'], string][] = [
    ['Split leakage', 'leakage', '✗'],
    ['Label conflicts', 'label-conflict', '✗'],
    ['Near-duplicates', 'near-duplicate', '!'],
  ];
  for (const [title, kind, mark] of sections) {
    const groups = result.nearDuplicates.filter((g) => g.kind === kind);
    lines.push('', `${title} (${groups.length} group${groups.length === 1 ? '' : 's'}):`);
    if (groups.length === 0) lines.push('  none');
    for (const group of groups.slice(0, SHOWN)) lines.push(`  ${mark} ${group.message}`);
    lines.push(...more(groups.length));
  }

  lines.push('', `Outliers (${result.outliers.length}):`);
  if (result.outliers.length === 0) lines.push('  none');
  for (const outlier of result.outliers.slice(0, SHOWN))
    lines.push(`  ! ${outlier.message} (score ${outlier.score.toFixed(1)})`);
  lines.push(...more(result.outliers.length));

  if (result.skipped.length > 0) {
    lines.push('', `Skipped (${result.skipped.length}, could not be read):`);
    for (const file of result.skipped.slice(0, SHOWN)) lines.push(`  ✗ ${JSON.stringify(file.path)}: ${file.reason}`);
    lines.push(...more(result.skipped.length));
  }
  return lines.join('\n');
}
