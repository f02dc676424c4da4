/**
 * Export of a finished run's model into the formats people already use (DESIGN §7): one registry of
 * formats in the engine (main/engine/export/registry.ts), each writing `exports/<format>/` of the run
 * folder (or `outDir/<format>/`) and verifying what it wrote by reloading it.
 */
import { z } from 'zod';
import { call, hostCall, job } from './define';
import { ExportFormatName } from './run-file';

/** One format of the registry, as the Export step and `transfer-studio export --help` list it. */
export const ExportFormatInfo = z.object({
  /** Format id, also the folder name under exports/ (e.g. "tfjs", "tm", "keras", "job"). */
  id: ExportFormatName,
  /** Display name, e.g. "TensorFlow.js". */
  name: z.string(),
  /** One line on what it is for. */
  description: z.string(),
  /** The files it writes, relative to its folder (patterns such as "group1-shard*of*.bin" allowed). */
  files: z.array(z.string()),
});
export type ExportFormatInfo = z.infer<typeof ExportFormatInfo>;

export const ExportRunRequest = z
  .object({
    /** The run folder of a completed run. */
    runDir: z.string().min(1).max(4096),
    /** Format ids to export, in order; each succeeds or fails on its own. */
    formats: z.array(ExportFormatName).min(1).max(20),
    /**
     * Parent folder of the exports: each format goes to `<outDir>/<format>/` (not recorded in run.json).
     * Default: the run folder's `exports/` (each format recorded in run.json's `exports`).
     */
    outDir: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type ExportRunRequest = z.output<typeof ExportRunRequest>;

/** A file written by a format, relative to its folder, with its size. */
export const ExportedFile = z.object({
  path: z.string(),
  bytes: z.number().int().min(0),
});
export type ExportedFile = z.infer<typeof ExportedFile>;

/** How a format's `verify` went: it reloaded what was written and compared it with the app's model. */
export const ExportVerify = z.object({
  ok: z.boolean(),
  /** What was checked, in plain words (e.g. "reloaded with tf.loadLayersModel; max |Δ| 2e-7 on 4 images"). */
  detail: z.string(),
  /** Largest absolute difference of the probabilities vs the app's model, when measured. */
  maxAbsDiff: z.number().optional(),
});
export type ExportVerify = z.infer<typeof ExportVerify>;

/** The result of one format: its folder and files, or its own error (the other formats still ran). */
export const ExportFormatResult = z.object({
  format: ExportFormatName,
  ok: z.boolean(),
  /** Absolute folder of this format's export. */
  dir: z.string(),
  files: z.array(ExportedFile),
  verify: ExportVerify.optional(),
  /** Why this format failed (code and message as StudioError gives them). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  durationMs: z.number().min(0),
});
export type ExportFormatResult = z.infer<typeof ExportFormatResult>;

export const ExportRunResponse = z.object({
  runDir: z.string(),
  results: z.array(ExportFormatResult),
  /** True when every format succeeded. */
  ok: z.boolean(),
});
export type ExportRunResponse = z.infer<typeof ExportRunResponse>;

/** Progress of an export job: which format (index of `formats`), and its phase. */
export const ExportProgress = z.object({
  format: ExportFormatName,
  /** 0-based index of the format in the request, and how many there are. */
  index: z.number().int().min(0),
  count: z.number().int().min(1),
  phase: z.enum(['export', 'verify', 'done', 'failed']),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

/** Calls and jobs of the export domain. */
export const exportContract = {
  'export.formats': call({
    summary: 'The export formats of the registry: id, name, one line on what each is for, and the files it writes.',
    request: z.object({}).strict(),
    response: z.object({ formats: z.array(ExportFormatInfo) }),
  }),
  'export.run': job({
    summary:
      'Exports a completed run in the given formats (each to exports/<format>/ or <outDir>/<format>/), with a model ' +
      'card and labels.txt, and verifies each by reloading it; a format that fails does not stop the others.',
    request: ExportRunRequest,
    response: ExportRunResponse,
    progress: ExportProgress,
    paths: (request) => [request.runDir, ...(request.outDir ? [request.outDir] : [])],
  }),
  'host.showInFolder': hostCall({
    summary:
      "Shows a file or folder in the system's file manager (desktop only; browser mode downloads a .zip instead).",
    request: z.object({ path: z.string().min(1).max(4096) }).strict(),
    response: z.object({}),
    paths: (request) => [request.path],
  }),
} as const;

/** Browser mode: the HTTP route of `serve` that streams one export folder as a .zip (token-checked). */
export const EXPORT_ZIP_ROUTE = '/export.zip';

/** The same-origin URL of the .zip of `exports/<format>/` of a run, for a download link in browser mode. */
export function exportZipUrl(runDir: string, format: string): string {
  return `${EXPORT_ZIP_ROUTE}?run=${encodeURIComponent(runDir)}&format=${encodeURIComponent(format)}`;
}
