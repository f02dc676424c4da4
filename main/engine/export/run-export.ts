/**
 * The `export.run` job: reads a completed run once, then runs each requested format of the registry on
 * its own — write into a temporary folder, add the model card and labels.txt, verify, rename into
 * place, record in run.json — so one format's failure is reported with its error and the others still run.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type {
  ExportFormatResult,
  ExportProgress,
  ExportRunRequest,
  ExportRunResponse,
} from '../../../shared/contract/export';
import { toErrorData } from '../../../shared/errors';
import { getBaseInfo } from '../models/bases/registry';
import { resolvePreprocessOptions } from '../data/preprocess';
import { finalModelDir } from '../run-folder/final-model';
import { exportDir } from '../run-folder/layout';
import { readEvaluation } from '../evaluate/evaluation-file';
import { readRunState, writeRunState } from '../run-folder/run-file';
import { appVersion } from '../../node/app-root';
import { cancelledError as cancelled } from '../cancel';
import { getFormat, type ExportContext, type ExportRun } from './registry';
import { writeCommonFiles } from './common-files';
import './formats';

export interface ExportJobContext {
  /** Default: never aborted. */
  signal?: AbortSignal;
  /** Default: none. */
  progress?: (progress: ExportProgress) => void;
}

/** Reads what every format needs about the run. */
export async function loadExportRun(runDir: string): Promise<ExportRun> {
  const state = await readRunState(runDir);
  const model = finalModelDir(runDir, state);
  const base = await getBaseInfo(state.base);
  // A missing or unreadable evaluation.json makes a card that says "not evaluated", never a failed export.
  const evaluation = (await readEvaluation(runDir).catch(() => null)) ?? undefined;
  return {
    runDir,
    state,
    modelDir: model,
    classes: state.classes,
    base,
    preprocess: resolvePreprocessOptions({ size: base.inputSize }),
    ...(evaluation !== undefined ? { evaluation } : {}),
  };
}

/** Files under `dir` (relative, "/"-separated, sorted) with their sizes. */
export async function listFiles(dir: string): Promise<{ path: string; bytes: number }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return { path: path.relative(dir, full).split(path.sep).join('/'), bytes: (await stat(full)).size };
      }),
  );
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

async function exportOne(
  run: ExportRun,
  id: string,
  target: string,
  ctx: ExportContext,
  report: (phase: ExportProgress['phase']) => void,
): Promise<ExportFormatResult> {
  const started = performance.now();
  const temp = `${target}.tmp-${process.pid}`;
  try {
    const format = getFormat(id);
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    report('export');
    await format.export(run, temp, ctx);
    await writeCommonFiles(run, temp, id, ctx);
    if (ctx.signal.aborted) throw cancelled();
    report('verify');
    const verify = await format.verify(temp, run, ctx);
    if (!verify.ok) throw new Error(`The ${format.name} export did not pass its check: ${verify.detail}`);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    report('done');
    return {
      format: id,
      ok: true,
      dir: target,
      files: await listFiles(target),
      verify,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    report('failed');
    const { code, message } = toErrorData(error);
    return {
      format: id,
      ok: false,
      dir: target,
      files: [],
      error: { code, message },
      durationMs: performance.now() - started,
    };
  }
}

/**
 * Exports a completed run in `request.formats`, each on its own. Without `outDir` each format goes to the
 * run folder's `exports/<format>/` and is recorded in run.json's `exports` once complete.
 * @throws StudioError NOT_FOUND / BAD_INPUT when the run cannot be read or has not completed (no format runs).
 */
export async function runExport(request: ExportRunRequest, job: ExportJobContext = {}): Promise<ExportRunResponse> {
  const signal = job.signal ?? new AbortController().signal;
  const runDir = path.resolve(request.runDir);
  const run = await loadExportRun(runDir);
  const ctx: ExportContext = {
    signal,
    formats: request.formats,
    appVersion: appVersion(),
    timeStamp: new Date().toISOString(),
  };
  const results: ExportFormatResult[] = [];
  for (const [index, id] of request.formats.entries()) {
    if (signal.aborted) throw cancelled();
    const target = request.outDir ? path.join(path.resolve(request.outDir), id) : exportDir(runDir, id);
    await mkdir(path.dirname(target), { recursive: true });
    const report = (phase: ExportProgress['phase']): void =>
      job.progress?.({ format: id, index, count: request.formats.length, phase });
    const result = await exportOne(run, id, target, ctx, report);
    if (result.ok && !request.outDir) {
      const state = await readRunState(runDir);
      state.exports = {
        ...state.exports,
        [id]: { writtenAt: new Date().toISOString(), files: result.files.map((file) => file.path) },
      };
      await writeRunState(runDir, state);
    }
    results.push(result);
  }
  return { runDir, results, ok: results.every((result) => result.ok) };
}
