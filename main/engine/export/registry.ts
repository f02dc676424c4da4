/**
 * The export registry (DESIGN §7): one module per format, each an {@link ExportFormat} with its id,
 * name, one line on what it is for, the files it writes, `export` and its own `verify` (which
 * reloads what was written and checks it against the app's model). Formats register themselves here
 * (`registerFormat`); `export.run` (./run-export.ts) looks them up by id and runs each on its own.
 */
import type { BaseInfo } from '../../../shared/contract/models';
import type { ExportFormatInfo, ExportVerify } from '../../../shared/contract/export';
import type { ModelInput } from '../../../shared/contract/model-metadata';
import type { Evaluation } from '../../../shared/contract/evaluate';
import type { ResolvedPreprocessOptions } from '../data/preprocess';
import type { RunState } from '../run-folder/run-file';
import { StudioError, quote } from '../../../shared/errors';

/** The run being exported, as every format sees it (read once by `export.run`). */
export interface ExportRun {
  /** Absolute run folder. */
  runDir: string;
  /** run.json of a completed run. */
  state: RunState;
  /** The final model folder (base + head, input scaled by `base.scaling`): model.json + weights. */
  modelDir: string;
  /** Class names; a label indexes this list. */
  classes: string[];
  /** The base the run trained on (input size, scaling, source, licence). */
  base: BaseInfo;
  /** How images are resized before the model (size = the base's input size). */
  preprocess: ResolvedPreprocessOptions;
  /** evaluation.json when the Evaluate step wrote a valid one; undefined when not evaluated. */
  evaluation?: Evaluation;
}

/** What a format gets besides the run and its folder. */
export interface ExportContext {
  /** Aborted when the job is cancelled; formats check it between steps. */
  signal: AbortSignal;
  /** Ids of every format of this export (the model card names the snippets of the formats present). */
  formats: string[];
  /** App version written into metadata and the model card. */
  appVersion: string;
  /** When the export started (ISO date), written into metadata and the model card. */
  timeStamp: string;
}

/** One export format. */
export interface ExportFormat extends ExportFormatInfo {
  /**
   * What the exported model's input tensor holds (shared/contract/model-metadata.ts), for the model card's
   * preprocessing section. Default: none (a format without one model to call, e.g. a training job).
   */
  input?: ModelInput;
  /** The model file of this format inside its folder (e.g. "model.json"), for the model card's snippets. */
  modelFile?: string;
  /**
   * Writes the format's files into `dir` (an empty folder the registry made; it is renamed into place
   * after `verify` passes, so a format never sees or leaves a half-written export folder).
   */
  export(run: ExportRun, dir: string, ctx: ExportContext): Promise<void>;
  /** Reloads what `export` wrote in `dir` outside the exporter and checks it against the app's model. */
  verify(dir: string, run: ExportRun, ctx: ExportContext): Promise<ExportVerify>;
}

const formats = new Map<string, ExportFormat>();

/**
 * Adds a format to the registry (formats call it from the registry's index module).
 * @throws StudioError INTERNAL when a format with the same id is already registered.
 */
export function registerFormat(format: ExportFormat): void {
  if (formats.has(format.id)) {
    throw new StudioError('INTERNAL', `Export format ${quote(format.id)} is registered twice.`, {
      field: 'id',
      received: format.id,
    });
  }
  formats.set(format.id, format);
}

/** Every registered format, in registration order. */
export function listFormats(): ExportFormat[] {
  return [...formats.values()];
}

/** The public description of every format (for `export.formats` and `--help`). */
export function formatInfos(): ExportFormatInfo[] {
  return listFormats().map(({ id, name, description, files }) => ({ id, name, description, files: [...files] }));
}

/**
 * The format with this id.
 * @throws StudioError BAD_INPUT quoting the id and listing the known ones.
 */
export function getFormat(id: string): ExportFormat {
  const format = formats.get(id);
  if (!format) {
    const known = [...formats.keys()].join(', ') || '(none)';
    throw new StudioError('BAD_INPUT', `Unknown export format ${quote(id)}; known formats: ${known}.`, {
      field: 'formats',
      received: id,
    });
  }
  return format;
}
