import path from 'node:path';
import {
  ScanOptions,
  type DatasetSpec,
  type DatasetSpecInput,
  type ImageRecord,
  type Problem,
  type ScanSummary,
} from '../../../shared/contract/data';
import { DatasetSpec as DatasetSpecSchema } from '../../../shared/contract/data';
import { type CacheStore } from './cache';
import { FileIndex } from './file-index';
import { sha256, stableStringify } from './hash';
import { datasetWarnings, fileProblems, findDuplicates } from './health';
import { inspectFile } from './inspect';
import { mapConcurrent } from './pipeline';
import { sourceFiles, type SourceFile } from './sources';

export interface ScanProgressInfo {
  phase: 'walking' | 'checking' | 'summarising';
  filesSeen: number;
  imagesOk: number;
  problems: number;
}

export interface ScanRunOptions {
  /** Where thumbnails, the file index and the records go. Default: no cache (nothing written). */
  cache?: CacheStore;
  signal?: AbortSignal;
  /** Called after every file. Default: none. */
  onProgress?: (progress: ScanProgressInfo) => void;
  /** Files checked at once. Default: CPUs + 2. */
  concurrency?: number;
}

export interface ScanResult {
  summary: Omit<ScanSummary, 'scanId' | 'recordsFile'>;
  /** Every usable image (metadata only). */
  records: ImageRecord[];
  /** Every problem, not capped. */
  problems: Problem[];
}

/**
 * Scans a dataset: streams files from every source (never all at once), checks each with
 * bounded concurrency, then reports classes, problems, duplicates and dataset warnings.
 * Only metadata stays in memory (about 300 bytes an image); pixels never do.
 */
export async function scanDataset(
  specInput: DatasetSpecInput,
  optionsInput: Partial<ScanOptions> = {},
  run: ScanRunOptions = {},
): Promise<ScanResult> {
  const spec: DatasetSpec = DatasetSpecSchema.parse(specInput);
  const options = ScanOptions.parse(optionsInput);
  const signal = run.signal ?? new AbortController().signal;
  const index = await FileIndex.load(run.cache);
  const memoOptions = { maxPixels: options.maxPixels, decode: options.decode };

  const problems: Problem[] = [];
  const records: ImageRecord[] = [];
  let filesSeen = 0;
  const report = (phase: ScanProgressInfo['phase']) =>
    run.onProgress?.({ phase, filesSeen, imagesOk: records.length, problems: problems.length });

  const files = sourceFiles(spec, {
    signal,
    onIssue: (issue) => {
      if (issue.reason !== 'empty-class') filesSeen++;
      const kind =
        issue.reason === 'outside-class' || issue.reason === 'empty-class' || issue.reason === 'bad-name'
          ? issue.reason
          : 'unreadable';
      problems.push({
        path: issue.path,
        kind,
        severity: kind === 'empty-class' ? 'warning' : 'error',
        message: issue.message,
      });
      report('walking');
    },
  });
  const seenClasses = new Set<string>();
  const counted = (async function* () {
    for await (const file of files) {
      filesSeen++;
      seenClasses.add(file.class);
      yield file;
    }
  })();

  const checked = mapConcurrent(
    counted,
    async (file: SourceFile) => {
      const key = FileIndex.key(file.path, file.size, file.mtimeMs, memoOptions);
      let facts = index.get(key);
      if (!facts) {
        facts = await inspectFile(file.path, file.size, { ...memoOptions, cache: run.cache });
        index.set(key, facts);
      }
      return { file, facts };
    },
    { concurrency: run.concurrency, signal },
  );
  for await (const { file, facts } of checked) {
    problems.push(...fileProblems(file.path, file.class, facts, options.minSide));
    if (!facts.error && facts.hash) {
      records.push({
        path: file.path,
        class: file.class,
        hash: facts.hash,
        width: facts.width ?? 0,
        height: facts.height ?? 0,
        format: facts.format ?? 'unknown',
        bytes: facts.size,
        duplicate: false,
      });
    }
    report('checking');
  }
  report('summarising');
  await index.save(run.cache);

  const duplicates = findDuplicates(records, spec.files?.conflicts);
  const countByClass = new Map<string, number>([...seenClasses].map((name) => [name, 0]));
  for (const record of records) {
    if (!countByClass.has(record.class)) countByClass.set(record.class, 0);
    if (!record.duplicate) countByClass.set(record.class, countByClass.get(record.class)! + 1);
  }
  const classes = [...countByClass]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const warnings = datasetWarnings(classes);
  const problemCounts: Record<string, number> = {};
  for (const problem of problems) problemCounts[problem.kind] = (problemCounts[problem.kind] ?? 0) + 1;
  const shown = problems.slice(0, options.maxProblems);
  return {
    summary: {
      classes,
      // The images used, each once: the sum of the class counts (extra copies and label conflicts left out).
      images: classes.reduce((sum, c) => sum + c.count, 0),
      filesSeen,
      problems: shown,
      problemCounts,
      problemsOmitted: problems.length - shown.length,
      duplicates,
      warnings,
      canTrain: !warnings.some((warning) => warning.severity === 'blocking'),
    },
    records,
    problems,
  };
}

/** Id of a scan: the spec and options it ran with. */
export function scanIdOf(spec: DatasetSpecInput, options: Partial<ScanOptions> = {}): string {
  return sha256(stableStringify({ spec: DatasetSpecSchema.parse(spec), options: ScanOptions.parse(options) })).slice(
    0,
    24,
  );
}

/** Path of a scan's records (JSON lines) in a cache. */
export function recordsFileOf(cache: CacheStore, scanId: string): string {
  return path.join(cache.root, 'scans', `${scanId}.records.jsonl`);
}

/** Scans and writes the records to the cache: the `data.scan` job. */
export async function scanToCache(
  spec: DatasetSpecInput,
  options: Partial<ScanOptions>,
  run: ScanRunOptions & { cache: CacheStore },
): Promise<ScanSummary> {
  const result = await scanDataset(spec, options, run);
  const scanId = scanIdOf(spec, options);
  const recordsFile = recordsFileOf(run.cache, scanId);
  await run.cache.writeAtomic(
    recordsFile,
    result.records.map((record) => JSON.stringify(record)).join('\n') + (result.records.length ? '\n' : ''),
  );
  return { scanId, recordsFile, ...result.summary };
}
