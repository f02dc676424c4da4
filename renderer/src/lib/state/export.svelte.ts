import type { ExportFormatInfo, ExportProgress, ExportRunResponse } from '../../../../shared/contract/export';
import { exportZipUrl } from '../../../../shared/contract/export';
import type { ProjectRun } from '../../../../shared/contract/project';
import type { TrainResponse } from '../../../../shared/contract/training';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';

/** A finished run the Export step can export. */
export interface ExportRunChoice {
  runDir: string;
  label: string;
}

/** Formats ticked when the step opens. */
export const DEFAULT_EXPORT_FORMATS: readonly string[] = ['tfjs', 'tm'];

/** A project run's folder as an absolute path (project.json keeps runs inside the project relative). */
export function absoluteRunDir(projectDir: string, dir: string): string {
  if (dir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(dir)) return dir;
  const separator = projectDir.includes('\\') && !projectDir.includes('/') ? '\\' : '/';
  return `${projectDir.replace(/[\\/]+$/, '')}${separator}${dir}`;
}

/**
 * The runs that can be exported: the run trained in this session, then the project's completed runs, newest
 * first, each once.
 */
export function exportRunChoices(
  project: { dir?: string | undefined; runs: readonly ProjectRun[] },
  trained?: TrainResponse,
): ExportRunChoice[] {
  const choices: ExportRunChoice[] = [];
  if (trained)
    choices.push({ runDir: trained.runDir, label: `Run just trained (${trained.runDir.split(/[\\/]/).pop()})` });
  if (project.dir) {
    const completed = project.runs.filter((run) => run.status === 'completed').reverse();
    for (const run of completed) {
      const runDir = absoluteRunDir(project.dir, run.dir);
      if (choices.some((choice) => choice.runDir === runDir)) continue;
      const accuracy = run.valAccuracy !== undefined ? ` · val ${(run.valAccuracy * 100).toFixed(1)} %` : '';
      choices.push({ runDir, label: `${run.id}${accuracy}` });
    }
  }
  return choices;
}

/** Bytes for people: 1.2 MiB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The Export step: the formats of the engine's registry, the run and formats chosen, the export job with its
 * progress and cancel, each format's result, and per result "Show in folder" (desktop) or a .zip link (browser).
 */
export class ExportState {
  formats = $state.raw<readonly ExportFormatInfo[]>([]);
  /** Ticked format ids, in the registry's order when exported. */
  chosen = $state.raw<readonly string[]>(DEFAULT_EXPORT_FORMATS);
  /** The run picked; undefined = the first choice. */
  pickedRun = $state<string | undefined>();
  progress = $state.raw<ExportProgress | undefined>();
  result = $state.raw<ExportRunResponse | undefined>();
  error = $state<string | undefined>();
  running = $state(false);
  private controller: AbortController | undefined;
  private readonly choicesOf: () => ExportRunChoice[];

  readonly choices: readonly ExportRunChoice[] = $derived.by(() => this.choicesOf());
  /** The run that will be exported. */
  readonly runDir: string | undefined = $derived(
    this.choices.find((choice) => choice.runDir === this.pickedRun)?.runDir ?? this.choices[0]?.runDir,
  );
  readonly canExport = $derived(!this.running && this.runDir !== undefined && this.chosen.length > 0);
  /** Desktop shows exports in the file manager; browser mode downloads them as .zip. */
  readonly desktop: boolean;

  constructor(
    private readonly client: StudioClient,
    choicesOf: () => ExportRunChoice[],
  ) {
    this.choicesOf = choicesOf;
    this.desktop = client.kind === 'electron';
  }

  /** Reads the registry's formats (once). */
  async loadFormats(): Promise<void> {
    if (this.formats.length > 0) return;
    try {
      this.formats = (await this.client.call('export.formats', {})).formats;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  toggle(id: string, on: boolean): void {
    const others = this.chosen.filter((entry) => entry !== id);
    this.chosen = on ? [...others, id] : others;
  }

  /** Exports the run in the ticked formats; resolves with the response, or undefined when it failed or was cancelled. */
  async run(): Promise<ExportRunResponse | undefined> {
    const runDir = this.runDir;
    if (!runDir || this.running) return undefined;
    const order = this.formats.map((format) => format.id);
    const formats = [...this.chosen].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    this.running = true;
    this.error = undefined;
    this.result = undefined;
    this.progress = undefined;
    this.controller = new AbortController();
    try {
      this.result = await this.client.call(
        'export.run',
        { runDir, formats },
        { signal: this.controller.signal, onProgress: (progress) => (this.progress = progress) },
      );
      return this.result;
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    } finally {
      this.running = false;
      this.controller = undefined;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Desktop: shows an export folder in the file manager. */
  async showInFolder(dir: string): Promise<void> {
    try {
      await this.client.call('host.showInFolder', { path: dir });
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** Browser mode: the same-origin URL of a format's .zip. */
  zipUrl(format: string): string | undefined {
    return this.result ? exportZipUrl(this.result.runDir, format) : undefined;
  }
}
