import type { ProjectOpened, ProjectPatchInput, ProjectRun, RecentProject } from '../../../../shared/contract/project';
import { StudioError } from '../../../../shared/errors';
import type { StudioClient } from '../api';
import {
  SECTIONS,
  applyProject,
  sectionsOf,
  trainRequestOf,
  type Section,
  type WizardParts,
} from './project-sections.svelte';
import type { TrainRequestInput } from './training.svelte';
import { afterQuiet } from '../after-quiet';
import { errorMessage } from '../error-message';

export * from './project-sections.svelte';

/**
 * The open project: create, open (with its warnings), recent projects, and autosave — the
 * wizard's sections are written with `project.update` ~500 ms after the last change, sending the
 * revision last read; a CONFLICT (another program wrote the file) stops autosave until Reload.
 * Without a project everything still works, in memory.
 */
export class ProjectState {
  /** The open project as the engine last returned it. */
  opened = $state.raw<ProjectOpened | undefined>();
  recent = $state.raw<readonly RecentProject[]>([]);
  /** True while creating or opening. */
  busy = $state(false);
  /** Why the last create/open/reload failed, in words. */
  error = $state<string | undefined>();
  /** Things to know about the opened project (e.g. restored from the backup). */
  warnings = $state.raw<readonly string[]>([]);
  saving = $state(false);
  /** True while changes wait for their autosave. */
  pending = $state(false);
  /** Why the last save failed, in words. */
  saveError = $state<string | undefined>();
  /** Set when another program changed project.json: autosave stops until {@link reload}. */
  conflict = $state<string | undefined>();
  /** Autosave waits while true (a training run writes the project's runs). */
  paused = $state(false);

  readonly dir = $derived(this.opened?.dir);
  readonly name = $derived(this.opened?.project.name);
  readonly runs: readonly ProjectRun[] = $derived(this.opened?.project.runs ?? []);
  /** Runs left unfinished by an engine that stopped; they can be resumed. */
  readonly interrupted = $derived(this.runs.filter((run) => run.status === 'interrupted'));

  /** JSON of each section as last saved or loaded. */
  private saved: Partial<Record<Section, string>> = {};
  private again = false;
  private inflight: Promise<void> | undefined;

  /**
   * @param delayMs quiet time before an autosave. Default: 500.
   */
  constructor(
    private readonly client: StudioClient,
    private readonly parts: WizardParts,
    private readonly delayMs = 500,
  ) {}

  /** Creates a project in `dir` keeping the work done so far, and opens it. */
  async create(dir: string, name?: string): Promise<boolean> {
    return this.load(async () => {
      const created = await this.client.call('project.create', { dir, ...(name ? { name } : {}) });
      const sections = sectionsOf(this.parts);
      return this.client.call('project.update', {
        dir: created.dir,
        patch: sections,
        expectedRevision: created.project.revision,
      });
    }, false);
  }

  /** Opens the project in `dir` and loads its sections into the wizard. */
  open(dir: string): Promise<boolean> {
    return this.load(() => this.client.call('project.open', { dir }), true);
  }

  /** Reads the project again from disk, dropping unsaved changes (after a conflict). */
  reload(): Promise<boolean> {
    const dir = this.dir;
    if (!dir) return Promise.resolve(false);
    return this.load(() => this.client.call('project.open', { dir, remember: false }), true);
  }

  /** Re-reads the project's runs and revision without touching the wizard (after a training run). */
  async refresh(): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    try {
      const opened = await this.client.call('project.open', { dir, remember: false });
      if (this.dir === dir) this.opened = opened;
    } catch (error) {
      this.saveError = errorMessage(error);
    }
  }

  /** The `training.train` request for the wizard's state, with the run and cache inside this project when one is open. */
  trainRequest(): TrainRequestInput {
    return trainRequestOf(this.parts, this.dir);
  }

  /** Loads the recent projects list. */
  async loadRecent(): Promise<void> {
    try {
      this.recent = (await this.client.call('project.recent', {})).projects;
    } catch {
      this.recent = [];
    }
  }

  /** Closes the project; the wizard keeps its state in memory. */
  close(): void {
    this.opened = undefined;
    this.pending = false;
    this.warnings = [];
    this.conflict = undefined;
    this.saveError = undefined;
    this.saved = {};
  }

  /** Sections changed since the last save or load. */
  changes(): ProjectPatchInput {
    const sections = sectionsOf(this.parts);
    const patch: Record<string, unknown> = {};
    for (const key of SECTIONS) if (JSON.stringify(sections[key]) !== this.saved[key]) patch[key] = sections[key];
    return patch as ProjectPatchInput;
  }

  /**
   * Saves after {@link delayMs} of quiet when a section changed. Reads every section, so an
   * `$effect` calling it re-runs on each change; returns the cleanup that cancels the pending save.
   */
  autosave(): (() => void) | undefined {
    if (!this.opened || this.conflict || this.paused) return undefined;
    if (Object.keys(this.changes()).length === 0) {
      // A change undone before its save leaves nothing to write: the status is 'Saved' again.
      if (!this.inflight) this.pending = false;
      return undefined;
    }
    this.pending = true;
    return afterQuiet(() => void this.save(), this.delayMs);
  }

  /**
   * Writes the changed sections now. One write at a time: a call during a write resolves when the
   * changes made meanwhile are written too.
   */
  save(): Promise<void> {
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = (async () => {
      do {
        this.again = false;
        await this.saveOnce();
      } while (this.again);
    })().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async saveOnce(): Promise<void> {
    const opened = this.opened;
    if (!opened || this.conflict) return;
    const patch = this.changes();
    if (Object.keys(patch).length === 0) {
      this.pending = false;
      return;
    }
    this.saving = true;
    try {
      const next = await this.client.call('project.update', {
        dir: opened.dir,
        patch,
        expectedRevision: opened.project.revision,
      });
      if (this.dir !== opened.dir) return;
      this.opened = next;
      for (const [key, value] of Object.entries(patch)) this.saved[key as Section] = JSON.stringify(value);
      this.saveError = undefined;
      this.pending = Object.keys(this.changes()).length > 0;
    } catch (error) {
      if (error instanceof StudioError && error.code === 'CONFLICT') this.conflict = error.message;
      else this.saveError = errorMessage(error);
    } finally {
      this.saving = false;
    }
  }

  private async load(work: () => Promise<ProjectOpened>, apply: boolean): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    try {
      const opened = await work();
      if (apply) applyProject(opened.project, this.parts);
      this.opened = opened;
      this.warnings = opened.warnings;
      this.conflict = undefined;
      this.saveError = undefined;
      this.pending = false;
      const sections = sectionsOf(this.parts);
      this.saved = Object.fromEntries(SECTIONS.map((key) => [key, JSON.stringify(sections[key])]));
      void this.loadRecent();
      if (apply && this.parts.bases.bases.length === 0) void this.parts.bases.load();
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** The absolute folder of a run (stored relative to the project folder when inside it). */
export function runFolder(projectDir: string, run: Pick<ProjectRun, 'dir'>): string {
  if (/^([a-zA-Z]:[\\/]|[\\/])/.test(run.dir)) return run.dir;
  const sep = projectDir.includes('\\') && !projectDir.includes('/') ? '\\' : '/';
  return `${projectDir.replace(/[\\/]+$/, '')}${sep}${run.dir.split('/').join(sep)}`;
}

/** A folder name from a project name: "My pets!" → "my-pets". */
export function folderName(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return slug || 'project';
}

/** `name` inside `parent`, with the parent's separator. */
export function joinPath(parent: string, name: string): string {
  const sep = parent.includes('\\') && !parent.includes('/') ? '\\' : '/';
  return `${parent.replace(/[\\/]+$/, '')}${sep}${name}`;
}
