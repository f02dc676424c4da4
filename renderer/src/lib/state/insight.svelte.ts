import type { ProgressOf, ResponseOf } from '../../../../shared/contract';
import type { InsightResult } from '../../../../shared/contract/insight';
import { MAX_INSIGHT_KEPT } from '../../../../shared/contract/project';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';
import { findingFlags, findingGroups, type FindingFix, type FindingItem } from '../insight/findings';
import type { ClassEdits } from './dataset-edits';
import type { Dataset } from './dataset.svelte';
import {
  applyBatch,
  describeBatch,
  restoreImages,
  snapshotImages,
  type BatchAction,
  type ImageState,
} from './image-batch';

export type InspectProgress = ProgressOf<'insight.inspect'>;

/** One step that can be undone: a fix of a finding or a lasso selection, with how its images stood before. */
export interface UndoEntry {
  id: number;
  /** In words, e.g. "Left out 3 images". */
  label: string;
  /** The finding it fixed or kept, if any. */
  item?: string;
  /** Set when the step kept finding `item` as it is (undo reopens it). */
  kept?: true;
  snapshot: ImageState[];
}

/** Where an item stands: still to look at, fixed by an edit of its images, or kept as it is. */
export type ItemState = 'open' | 'fixed' | 'kept';

/** The dataset's part of a spec that makes findings stale when it changes (image edits do not: they act on findings). */
function dataKey(dataset: Dataset): string {
  const spec = dataset.spec;
  if (!spec) return '';
  const { files: _files, ...data } = spec;
  return JSON.stringify(data);
}

/**
 * Dataset insight for the Data step: runs `insight.inspect` (progress, cancel), reads a project's last
 * result (`insight.read`), and turns findings into edits of the dataset — one fix or one lasso
 * selection is one undoable step. "Keep" marks a finding as looked at (one undoable step too); the
 * kept ids belong to the project (saved as its `insightKept`, see project-sections), so they survive
 * a reload and, being built from image content hashes, a new Inspect.
 */
export class Insight {
  result = $state.raw<InsightResult | undefined>();
  running = $state(false);
  progress = $state.raw<InspectProgress | undefined>();
  /** The last failure, in words. */
  error = $state<string | undefined>();
  cancelled = $state(false);
  /** Findings the user kept as they are (by item id, oldest first). */
  kept = $state.raw<Readonly<Record<string, true>>>({});
  /** Undoable steps, newest last. */
  undoStack = $state.raw<readonly UndoEntry[]>([]);
  /** True when the engine said the saved result is older than the data. */
  private savedStale = $state(false);
  /** The data the result describes (see dataKey). */
  private resultKey = $state<string | undefined>();

  readonly groups = $derived(this.result ? findingGroups(this.result) : []);
  readonly flags = $derived(this.result ? findingFlags(this.result) : new Uint8Array());
  /** The data changed since the result was computed: the findings may be out of date. */
  readonly stale = $derived.by(() => {
    if (this.result === undefined) return false;
    return this.savedStale || (this.resultKey !== undefined && this.resultKey !== dataKey(this.dataset));
  });
  /** Findings still to look at. */
  readonly open = $derived(
    this.groups.reduce((n, g) => n + g.items.filter((i) => this.stateOf(i) === 'open').length, 0),
  );
  readonly lastStep = $derived(this.undoStack.at(-1));
  /** Left-out and moved images of the dataset edits, for look-ups per image. */
  private readonly imageEdits = $derived.by(() => {
    const files = this.dataset.edits.files;
    const out: Record<string, true> = Object.fromEntries((files?.excluded ?? []).map((path) => [path, true]));
    return { out, moved: files?.classes ?? {} };
  });

  private controller: AbortController | undefined;
  private nextId = 1;
  private loadedFor: string | undefined;

  /**
   * @param context the open project's folder and chosen base, read when inspecting. Default: none (in memory only).
   */
  constructor(
    private readonly client: StudioClient,
    private readonly dataset: Dataset,
    private readonly context: () => { projectDir?: string | undefined; base?: string | undefined } = () => ({}),
  ) {}

  /** Reads the project's last result (none without a project); a result computed in this session stays. */
  async load(projectDir: string | undefined): Promise<void> {
    if (projectDir === this.loadedFor) return;
    this.loadedFor = projectDir;
    this.clear();
    if (!projectDir) return;
    try {
      const saved: ResponseOf<'insight.read'> = await this.client.call('insight.read', { projectDir });
      if (this.loadedFor !== projectDir || this.result || !saved) return;
      const { stale, ...result } = saved;
      this.result = result;
      this.savedStale = stale;
      this.resultKey = dataKey(this.dataset);
    } catch (error) {
      if (this.loadedFor === projectDir) this.error = errorMessage(error);
    }
  }

  /** Runs `insight.inspect` on the dataset as the Data step shows it; a second call cancels the first. */
  async inspect(): Promise<void> {
    const spec = this.dataset.spec;
    if (!spec) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const { projectDir, base } = this.context();
    const { fractions, seed } = this.dataset.split;
    const key = dataKey(this.dataset);
    this.running = true;
    this.cancelled = false;
    this.error = undefined;
    this.progress = { phase: 'scan', done: 0, total: 0 };
    try {
      const result = await this.client.call(
        'insight.inspect',
        {
          dataset: spec,
          split: { ...fractions, seed },
          ...(projectDir ? { projectDir } : {}),
          ...(base ? { base } : {}),
        },
        { signal: controller.signal, onProgress: (p) => this.controller === controller && (this.progress = p) },
      );
      if (this.controller !== controller) return;
      this.result = result;
      this.resultKey = key;
      this.savedStale = false;
    } catch (error) {
      if (this.controller !== controller) return;
      if ((error as { code?: string }).code === 'CANCELLED') this.cancelled = true;
      else this.error = errorMessage(error);
    } finally {
      if (this.controller === controller) {
        this.controller = undefined;
        this.running = false;
      }
    }
  }

  /** Stops a running inspection (the last result stays). */
  cancel(): void {
    this.controller?.abort();
  }

  /** Applies `action` to `paths` as one undoable step; returns the step, or undefined when nothing changed. */
  edit(paths: readonly string[], action: BatchAction, item?: string): UndoEntry | undefined {
    return this.step(paths, applyBatch(this.dataset.edits, paths, action), describeBatch(paths.length, action), item);
  }

  /** Takes images back as scanned (used, in their folder's class) as one undoable step. */
  takeBack(paths: readonly string[]): UndoEntry | undefined {
    const plain = paths.map((path) => ({ path, excluded: false, movedTo: undefined }));
    const label = `Took back ${paths.length.toLocaleString('en-US')} image${paths.length === 1 ? '' : 's'}`;
    return this.step(paths, restoreImages(this.dataset.edits, plain), label);
  }

  private step(paths: readonly string[], next: ClassEdits, label: string, item?: string): UndoEntry | undefined {
    if (paths.length === 0) return undefined;
    const snapshot = snapshotImages(this.dataset.edits, paths);
    if (!this.dataset.apply(next)) return undefined;
    const entry: UndoEntry = { id: this.nextId++, label, snapshot, ...(item ? { item } : {}) };
    this.undoStack = [...this.undoStack, entry];
    return entry;
  }

  /** Applies a finding's fix (one undoable step). */
  fix(item: FindingItem, fix: FindingFix): void {
    this.edit(fix.paths, fix.action, item.id);
  }

  /** Undoes step `id` (default: the newest): every image of it stands as it did before. */
  undo(id = this.lastStep?.id): void {
    const entry = this.undoStack.find((step) => step.id === id);
    if (!entry) return;
    this.undoStack = this.undoStack.filter((step) => step !== entry);
    if (entry.kept && entry.item) this.unkeep(entry.item);
    else this.dataset.apply(restoreImages(this.dataset.edits, entry.snapshot));
  }

  /** Undoes what was done about a finding: its recorded step, else the edits of its images. */
  reopen(item: FindingItem): void {
    if (Object.hasOwn(this.kept, item.id)) {
      this.undoStack = this.undoStack.filter((step) => !(step.kept && step.item === item.id));
      this.unkeep(item.id);
      return;
    }
    const step = [...this.undoStack].reverse().find((entry) => entry.item === item.id);
    if (step) return this.undo(step.id);
    const paths = this.pathsOf(item);
    const plain = paths.map((path) => ({ path, excluded: false, movedTo: undefined }));
    this.dataset.apply(restoreImages(this.dataset.edits, plain));
  }

  /** Marks a finding as looked at, nothing to change (one undoable step); returns the step. */
  keep(item: FindingItem): UndoEntry | undefined {
    if (Object.hasOwn(this.kept, item.id)) return undefined;
    const entry: UndoEntry = {
      id: this.nextId++,
      label: 'Kept a finding as it is',
      item: item.id,
      kept: true,
      snapshot: [],
    };
    this.undoStack = [...this.undoStack, entry];
    this.restoreKept([...this.keptIds(), item.id]);
    return entry;
  }

  /** The kept ids, oldest first (what the project saves). */
  keptIds(): string[] {
    return Object.keys(this.kept);
  }

  /** Sets the kept ids (a project opening); beyond MAX_INSIGHT_KEPT the oldest drop out. */
  restoreKept(ids: readonly string[]): void {
    this.kept = Object.fromEntries(ids.slice(-MAX_INSIGHT_KEPT).map((id) => [id, true as const]));
  }

  private unkeep(id: string): void {
    const { [id]: _reopened, ...kept } = this.kept;
    this.kept = kept;
  }

  /** Fixed when any of its images is left out or given another class; kept when the user said so. */
  stateOf(item: FindingItem): ItemState {
    if (Object.hasOwn(this.kept, item.id)) return 'kept';
    if (!this.result) return 'open';
    return this.pathsOf(item).some((path) => this.editOf(path) !== undefined) ? 'fixed' : 'open';
  }

  /** How an image stands now: 'out', the class it was moved to, or undefined (as scanned). */
  editOf(path: string): 'out' | { class: string } | undefined {
    const { out, moved } = this.imageEdits;
    if (Object.hasOwn(out, path)) return 'out';
    const cls = Object.hasOwn(moved, path) ? moved[path] : undefined;
    return cls === undefined ? undefined : { class: cls };
  }

  private pathsOf(item: FindingItem): string[] {
    return item.images.map((i) => this.result!.images[i]!.path);
  }

  private clear(): void {
    this.controller?.abort();
    this.result = undefined;
    this.savedStale = false;
    this.resultKey = undefined;
    // `kept` stays: it is the project's (restored by applyProject), not the result's.
    this.undoStack = [];
    this.error = undefined;
    this.progress = undefined;
  }
}
