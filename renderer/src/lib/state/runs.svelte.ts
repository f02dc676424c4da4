import type { RunSummary } from '../../../../shared/contract/evaluate';
import type { ProjectRun } from '../../../../shared/contract/project';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';
import { runFolder } from './project.svelte';

/** One row of the runs list: the project's record, the run folder and, once read, the run's summary. */
export interface RunEntry {
  run: ProjectRun;
  /** Absolute run folder. */
  dir: string;
  summary?: RunSummary;
  /** Why the run could not be read, in words. */
  error?: string;
}

/** What the runs list is made of: the open project's folder and its runs (project.json). */
export interface RunsSource {
  dir: string | undefined;
  runs: readonly ProjectRun[];
}

/**
 * The project's runs: each read with `runs.read` (config, history, metrics, evaluation), the run
 * opened in Train, Evaluate and Export ({@link selectedDir}), and up to two runs compared side by side.
 */
export class Runs {
  /** Summaries by absolute run folder. */
  summaries = $state.raw<Readonly<Record<string, RunSummary>>>({});
  /** Why a run could not be read, by folder. */
  errors = $state.raw<Readonly<Record<string, string>>>({});
  /** The run opened in Train, Evaluate and Export (absolute folder). Default: none. */
  selectedDir = $state<string | undefined>();
  /** The runs compared side by side (at most two folders). */
  compared = $state.raw<readonly string[]>([]);

  /** The project's runs, newest first. */
  readonly entries: readonly RunEntry[] = $derived.by(() => {
    const { dir, runs } = this.source();
    if (!dir) return [];
    return [...runs]
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .map((run) => {
        const folder = runFolder(dir, run);
        const summary = this.summaries[folder];
        const error = this.errors[folder];
        return { run, dir: folder, ...(summary ? { summary } : {}), ...(error ? { error } : {}) };
      });
  });
  /** The selected run's summary, once read. */
  readonly selected: RunSummary | undefined = $derived(this.selectedDir ? this.summaries[this.selectedDir] : undefined);
  /** The newest run with a final model (what opens by default). */
  readonly latest: RunEntry | undefined = $derived(this.entries.find((entry) => entry.run.status === 'completed'));
  /** Summaries of the compared runs that have been read, in the order chosen. */
  readonly comparison: readonly RunSummary[] = $derived(
    this.compared.map((dir) => this.summaries[dir]).filter((summary): summary is RunSummary => summary !== undefined),
  );

  /** The project folder the runs were last loaded for. */
  private project: string | undefined;

  constructor(
    private readonly client: StudioClient,
    private readonly source: () => RunsSource,
  ) {}

  /**
   * Reads every run not read yet, or whose status in project.json changed since (e.g. it finished).
   * When the project changed, the comparison is dropped, and the opened run too unless it is one of its runs.
   */
  async load(): Promise<void> {
    const { dir } = this.source();
    if (dir !== this.project) {
      this.project = dir;
      this.compared = [];
      if (this.selectedDir && !this.entries.some((entry) => entry.dir === this.selectedDir))
        this.selectedDir = undefined;
    }
    const stale = this.entries.filter((entry) => !entry.summary || entry.summary.status !== statusOf(entry.run));
    await Promise.all(stale.map((entry) => this.reload(entry.dir)));
  }

  /** Reads one run again (after training or evaluating it). */
  async reload(dir: string): Promise<RunSummary | undefined> {
    try {
      const summary = await this.client.call('runs.read', { runDir: dir });
      this.summaries = { ...this.summaries, [dir]: summary };
      const { [dir]: _gone, ...errors } = this.errors;
      this.errors = errors;
      return summary;
    } catch (error) {
      this.errors = { ...this.errors, [dir]: errorMessage(error) };
      return undefined;
    }
  }

  /** Opens a run in Train, Evaluate and Export (undefined: none). */
  select(dir: string | undefined): void {
    this.selectedDir = dir;
    if (dir && !this.summaries[dir]) void this.reload(dir);
  }

  /** Adds a run to the comparison or takes it out; a third run replaces the first one chosen. */
  toggleCompare(dir: string): void {
    if (this.compared.includes(dir)) this.compared = this.compared.filter((existing) => existing !== dir);
    else this.compared = [...this.compared, dir].slice(-2);
    if (!this.summaries[dir]) void this.reload(dir);
  }

  /** Forgets every run (another project was opened or the project closed). */
  clear(): void {
    this.summaries = {};
    this.errors = {};
    this.selectedDir = undefined;
    this.compared = [];
  }
}

/** The run.json status a project record corresponds to ('interrupted' runs say 'running' in run.json). */
function statusOf(run: ProjectRun): RunSummary['status'] {
  return run.status === 'interrupted' ? 'running' : run.status;
}
