import type { ProgressOf } from '../../../../shared/contract';
import type { DatasetSpecInput, ScanSummary } from '../../../../shared/contract/data';
import type { StudioClient } from '../api';
import { AugmentPreview } from './augment-preview.svelte';
import { IMAGE_NAME, type DataSources } from './data-sources.svelte';
import { baseName } from '../base-name';
import { classResolver } from '../../../../shared/dataset/class-resolver';
import {
  NO_EDITS,
  excludeClass,
  excludeImage,
  moveImage,
  pickConflict,
  isUnedited,
  mergeClasses,
  originsOf,
  renameClass,
  unmergeClass,
  type ClassEdits,
  type ClassRow,
} from './dataset-edits';
import { healthGroups } from './dataset-health';
import { DatasetSplit } from './dataset-split.svelte';
import { errorMessage } from '../error-message';

export type ScanProgress = ProgressOf<'data.scan'>;

export type { ClassRow } from './dataset-edits';

/**
 * The dataset: the chosen folders ({@link DataSources}) plus the user's class edits make the
 * `DatasetSpec`; `data.scan` turns it into the last {@link ScanSummary}, kept here for the later
 * steps. Also holds the split and the augmentation.
 */
export class Dataset {
  /** Renames, merges and exclusions. Default: none. */
  edits = $state.raw<ClassEdits>(NO_EDITS);
  /** The last finished scan (of `summaryKey`). */
  summary = $state.raw<ScanSummary | undefined>();
  /** The spec key the summary belongs to. */
  summaryKey = $state<string | undefined>();
  scanning = $state(false);
  progress = $state.raw<ScanProgress | undefined>();
  /** The last scan failure, in words. */
  error = $state<string | undefined>();
  /** True when the user cancelled the last scan. */
  cancelled = $state(false);
  /** Image counts of classes seen in any scan (for excluded rows, which the scan no longer reports). */
  private seen = $state.raw<Readonly<Record<string, number>>>({});

  readonly split: DatasetSplit;
  readonly augment: AugmentPreview;

  /** What `data.scan` gets; undefined until a folder is chosen. */
  readonly spec: DatasetSpecInput | undefined = $derived.by(() => {
    const { folders, sources } = this.sources;
    if (folders.length === 0) return undefined;
    const { renames, merges, excluded, files } = this.edits;
    return { sources: [...sources], renames, merges, excluded, ...(files ? { files } : {}) };
  });
  readonly specKey = $derived(this.spec ? JSON.stringify(this.spec) : '');
  /** True when the summary describes the current spec. */
  readonly current = $derived(this.summary !== undefined && this.summaryKey === this.specKey);
  /** The step is done: the current spec was scanned and can be trained on. */
  readonly ready = $derived(this.current && !this.scanning && this.summary!.canTrain);
  /** Number of classes the model will predict (included classes of the last scan). */
  readonly classCount = $derived(this.summary?.classes.length ?? 0);
  readonly edited = $derived(!isUnedited(this.edits));
  /** The reason training is blocked, in words (undefined when it is not). */
  readonly blocker = $derived(this.summary?.warnings.find((warning) => warning.severity === 'blocking')?.message);
  readonly health = $derived(this.summary ? healthGroups(this.summary) : []);
  /** Classes of the last scan, then excluded ones, each with where it came from. */
  readonly rows: readonly ClassRow[] = $derived.by(() => {
    const included = (this.summary?.classes ?? []).map((cls) => ({
      ...cls,
      excluded: false,
      ...originsOf(this.edits, cls.name),
    }));
    const excluded = this.edits.excluded
      .filter((name) => !included.some((row) => row.name === name))
      .map((name) => ({ name, count: this.seen[name] ?? 0, excluded: true, ...originsOf(this.edits, name) }));
    return [...included, ...excluded];
  });
  /** Original class names (sub-folders of 'parent' folders, names of 'class' folders); undefined while a listing is missing. */
  readonly originals: readonly string[] | undefined = $derived.by(() => {
    const names: string[] = [];
    for (const source of this.sources.sources) {
      if (source.mode === 'class') names.push(baseName(source.path));
      else if (this.sources.contents[source.path]) names.push(...this.sources.contents[source.path]!.folders);
      else return undefined;
    }
    return names;
  });
  /** The largest class (for the relative bars). */
  readonly largest = $derived(Math.max(1, ...this.rows.map((row) => row.count)));

  private controller: AbortController | undefined;
  /** Image paths per class folder and thumbnails per image: plain caches, not state (nothing renders them directly). */
  private listings: Record<string, Promise<string[]>> = {};
  private readonly thumbs: Record<string, Promise<string>> = {};

  constructor(
    private readonly client: StudioClient,
    private readonly sources: DataSources,
  ) {
    this.split = new DatasetSplit(client);
    this.augment = new AugmentPreview(client);
  }

  /**
   * Scans when the spec changed since the last scan (and every folder's mode is known). Reads the
   * spec, so an `$effect` calling it re-runs on every change.
   */
  autoScan(): void {
    const key = this.specKey;
    if (!this.sources.settled) return;
    if (!key) {
      this.clear();
      return;
    }
    if (key !== this.summaryKey && key !== this.scanningKey) void this.scan();
  }
  private scanningKey: string | undefined;

  /** Runs `data.scan` on the current spec; a newer scan cancels an older one still running. */
  async scan(): Promise<void> {
    const spec = this.spec;
    if (!spec) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const key = this.specKey;
    this.scanningKey = key;
    this.scanning = true;
    this.cancelled = false;
    this.error = undefined;
    this.progress = { phase: 'walking', filesSeen: 0, imagesOk: 0, problems: 0 };
    try {
      const summary = await this.client.call(
        'data.scan',
        { spec },
        {
          signal: controller.signal,
          onProgress: (progress) => this.controller === controller && (this.progress = progress),
        },
      );
      if (this.controller !== controller) return;
      this.summary = summary;
      this.summaryKey = key;
      this.seen = { ...this.seen, ...Object.fromEntries(summary.classes.map((cls) => [cls.name, cls.count])) };
      this.listings = {};
      void this.split.run(summary.scanId);
      if (!this.augment.sample || !summary.classes.length) void this.pickSample(summary.classes[0]?.name);
    } catch (error) {
      if (this.controller !== controller) return;
      const code = (error as { code?: string }).code;
      if (code === 'CANCELLED') this.cancelled = true;
      else this.error = errorMessage(error);
    } finally {
      if (this.controller === controller) {
        this.controller = undefined;
        this.scanningKey = undefined;
        this.scanning = false;
      }
    }
  }

  /** Stops the running scan (the last finished summary stays). */
  cancel(): void {
    this.controller?.abort();
  }

  /** Renames a class; an empty or unchanged name does nothing. Returns whether the spec changed. */
  rename(from: string, to: string): boolean {
    const name = to.trim();
    if (!name || name === from) return false;
    return this.apply(renameClass(this.edits, from, name, this.originals));
  }

  /** Merges two or more classes into one called `into`. */
  merge(names: readonly string[], into: string): boolean {
    const name = into.trim();
    if (names.length < 2 || !name) return false;
    return this.apply(mergeClasses(this.edits, names, name));
  }

  /** Splits a merged class back into its parts. */
  unmerge(into: string): boolean {
    return this.apply(unmergeClass(this.edits, into));
  }

  /** Leaves a class out (true) or takes it back (false). */
  exclude(name: string, excluded: boolean): boolean {
    return this.apply(excludeClass(this.edits, name, excluded));
  }

  /** Leaves one image out ('out'), takes it back ('in') or gives it another class, by path; the file never moves. */
  editImage(file: string, edit: 'out' | 'in' | { class: string | undefined }): boolean {
    const { edits } = this;
    return this.apply(
      typeof edit === 'string' ? excludeImage(edits, file, edit === 'out') : moveImage(edits, file, edit.class),
    );
  }

  /** Settles the label conflict of image `hash`: kept in `keep`, in no class (null), or open again (undefined). */
  keepConflict(hash: string, keep: string | null | undefined): boolean {
    return this.apply(pickConflict(this.edits, hash, keep));
  }

  /** Forgets every rename, merge and exclusion. */
  resetEdits(): boolean {
    return this.apply(NO_EDITS);
  }

  /** Folders holding a final class's images (from the folder listings; deeper folders are not searched). */
  foldersOf(name: string): string[] {
    const resolve = classResolver(this.edits);
    const folders: string[] = [];
    for (const source of this.sources.sources) {
      if (source.mode === 'class') {
        if (resolve(baseName(source.path)) === name) folders.push(source.path);
        continue;
      }
      const sep = source.path.includes('\\') && !source.path.includes('/') ? '\\' : '/';
      for (const folder of this.sources.contents[source.path]?.folders ?? []) {
        if (resolve(folder) === name) folders.push(source.path.replace(/[\\/]$/, '') + sep + folder);
      }
    }
    return folders;
  }

  /** Up to `limit` usable image paths of a class (files the scan left out are skipped). */
  async samples(name: string, limit = 4): Promise<string[]> {
    const broken = (this.summary?.problems ?? [])
      .filter((problem) => problem.severity === 'error')
      .map((problem) => problem.path);
    const found: string[] = [];
    for (const folder of this.foldersOf(name)) {
      for (const path of await this.imagesIn(folder)) {
        if (!broken.includes(path)) found.push(path);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  /** A data URL of a small thumbnail of `path` (cached for the session). */
  thumbnail(path: string): Promise<string> {
    let thumb = this.thumbs[path];
    if (!thumb) {
      thumb = this.client
        .call('data.thumbnail', { path, size: 96 })
        .then((image) => `data:${image.mime};base64,${image.base64}`);
      thumb.catch(() => delete this.thumbs[path]);
      this.thumbs[path] = thumb;
    }
    return thumb;
  }

  /** Shows the first usable image of a class (`offset` later ones) in the augmentation preview. */
  async pickSample(name: string | undefined, offset = 0): Promise<void> {
    if (!name) return this.augment.show(undefined);
    const samples = await this.samples(name, offset + 1);
    await this.augment.show(samples.length ? samples[Math.min(offset, samples.length - 1)] : undefined);
  }

  private async imagesIn(folder: string): Promise<string[]> {
    let listing = this.listings[folder];
    if (!listing) {
      listing = this.client
        .call('host.listDir', { path: folder })
        .then(({ entries }) =>
          entries.filter((entry) => !entry.isDirectory && IMAGE_NAME.test(entry.name)).map((entry) => entry.path),
        )
        .catch(() => []);
      this.listings[folder] = listing;
    }
    return listing;
  }

  /** Sets the edits (rescanning when they changed); returns whether they did. */
  apply(edits: ClassEdits): boolean {
    if (JSON.stringify(edits) === JSON.stringify(this.edits)) return false;
    this.edits = edits;
    if (this.sources.settled && this.spec) void this.scan();
    return true;
  }

  private clear(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.scanningKey = undefined;
    this.scanning = false;
    this.summary = undefined;
    this.summaryKey = undefined;
    this.progress = undefined;
    this.split.clear();
    void this.augment.show(undefined);
  }
}
