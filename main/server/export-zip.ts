/**
 * Browser mode's download of an export: `GET /export.zip?run=<run folder>&format=<id>` streams the run's
 * `exports/<format>/` as one .zip (yazl), so a user on another machine gets the files. Reached only after
 * the server's token check; the run folder must be under an allowed root, the format a format id, the
 * export recorded in run.json, and every file (symlinks resolved) inside that export folder.
 */
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { ZipFile } from 'yazl';
import { EXPORT_ZIP_ROUTE } from '../../shared/contract/export';
import { ExportFormatName } from '../../shared/contract/run-file';
import { StudioError, quote, toErrorData } from '../../shared/errors';
import type { AllowedRoots } from '../gateway/roots';
import { exportDir } from '../engine/run-folder/layout';
import { readRunState } from '../engine/run-folder/run-file';

const STATUS: Record<string, number> = { BAD_INPUT: 400, PATH_NOT_ALLOWED: 403, NOT_FOUND: 404 };

/** Real paths of the export's files (relative name → absolute), each checked to stay inside the export folder. */
async function exportFiles(runDir: string, format: string): Promise<{ folder: string; files: [string, string][] }> {
  const state = await readRunState(runDir);
  const record = state.exports?.[format];
  if (!record) {
    throw new StudioError(
      'NOT_FOUND',
      `The run in ${quote(runDir)} has no ${quote(format)} export yet; export it first.`,
      { field: 'format', received: format },
    );
  }
  const folder = await realpath(exportDir(runDir, format));
  const files: [string, string][] = [];
  for (const name of record.files) {
    const real = await realpath(path.resolve(folder, name)).catch(() => undefined);
    const relative = real === undefined ? '..' : path.relative(folder, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new StudioError(
        'PATH_NOT_ALLOWED',
        `${quote(name)} is not a file inside the export folder ${quote(folder)}; nothing was sent.`,
        { path: name },
      );
    }
    if (!(await stat(real!)).isFile())
      throw new StudioError('PATH_NOT_ALLOWED', `${quote(name)} in ${quote(folder)} is not a file.`, { path: name });
    files.push([relative.split(path.sep).join('/'), real!]);
  }
  return { folder, files };
}

/**
 * Answers `GET /export.zip?run=…&format=…`; returns false for any other path.
 * Errors: 400 (no run, bad format id), 403 (run outside the allowed roots, a file leaving the export), 404 (no such export).
 */
export async function serveExportZip(url: URL, roots: AllowedRoots, response: ServerResponse): Promise<boolean> {
  if (url.pathname !== EXPORT_ZIP_ROUTE) return false;
  try {
    const run = url.searchParams.get('run') ?? '';
    const format = url.searchParams.get('format') ?? '';
    if (!path.isAbsolute(run))
      throw new StudioError('BAD_INPUT', `Expected an absolute run folder in "run", received ${quote(run)}.`, {
        field: 'run',
        received: run,
      });
    if (!ExportFormatName.safeParse(format).success) {
      throw new StudioError(
        'BAD_INPUT',
        `Expected a format id such as "tfjs" in "format", received ${quote(format)}.`,
        { field: 'format', received: format },
      );
    }
    roots.check(run);
    const { files } = await exportFiles(run, format);
    const zip = new ZipFile();
    for (const [name, file] of files) zip.addFile(file, `${format}/${name}`);
    zip.end();
    response.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${path.basename(run).replace(/[^\w.-]/g, '_')}-${format}.zip"`,
      'Cache-Control': 'no-store',
    });
    zip.outputStream.pipe(response);
    zip.outputStream.on('error', () => response.destroy());
  } catch (error) {
    const { code, message } = toErrorData(error);
    response.writeHead(STATUS[code] ?? 500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
  }
  return true;
}
