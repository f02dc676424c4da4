import type { ProgressOf } from '../../../../shared/contract';
import type { BaseInfo, BaseListItem, BaseSource } from '../../../../shared/contract/models';
import { StudioError } from '../../../../shared/errors';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';

export type DownloadProgress = ProgressOf<'models.download'>;

/** One catalog download, running or failed. */
export interface DownloadState {
  running: boolean;
  progress?: DownloadProgress;
  /** Why it failed, in words (a cancel is not a failure). */
  error?: string;
}

/** A base as the Base step shows it: its list row, and its full record once loaded. */
export interface BaseEntry extends BaseListItem {
  info?: BaseInfo;
}

/** The three groups of the Base step, in order. */
export const BASE_GROUPS: readonly { source: BaseSource; title: string; hint: string }[] = [
  { source: 'bundled', title: 'Bundled', hint: 'offline, ready now' },
  { source: 'catalog', title: 'Catalog', hint: 'download once, then offline' },
  { source: 'imported', title: 'Imported', hint: 'your own TF.js layers models' },
];

/**
 * The Base step's state: every base (`models.bases` + `models.baseInfo`), the chosen one, and
 * catalog downloads with progress and cancel. A base can be chosen once it is usable offline.
 */
export class BaseChoice {
  /** Every base in the order the engine lists them, with its record once loaded. */
  bases = $state.raw<readonly BaseEntry[]>([]);
  /** The chosen base's id. Default: none (the user picks). */
  selectedId = $state<string | undefined>();
  loading = $state(false);
  /** Why the list failed to load, in words. */
  error = $state<string | undefined>();
  /** Downloads by base id. */
  downloads = $state.raw<Readonly<Record<string, DownloadState>>>({});

  /** The chosen base's record, once loaded. */
  readonly selected: BaseInfo | undefined = $derived(
    this.bases.find((b) => b.id === this.selectedId && b.cached)?.info,
  );
  /** The Base step is done when a usable base with a loaded record is chosen. */
  readonly complete = $derived(this.selected !== undefined);
  /** Bases by group, in {@link BASE_GROUPS} order. */
  readonly groups = $derived(
    BASE_GROUPS.map((group) => ({ ...group, items: this.bases.filter((b) => b.source === group.source) })),
  );

  private readonly controllers: Record<string, AbortController> = {};

  constructor(private readonly client: StudioClient) {}

  /** Loads the list of bases, then every base's record (in parallel). */
  async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    try {
      const items = await this.client.call('models.bases', {});
      this.bases = items.map((item) => ({ ...item, info: this.bases.find((b) => b.id === item.id)?.info }));
      const infos = await Promise.all(
        items.map((item) => this.client.call('models.baseInfo', { base: item.id }).catch(() => undefined)),
      );
      this.bases = this.bases.map((entry, i) => ({ ...entry, info: infos[i] ?? entry.info }));
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  /** Chooses a base; returns false (and changes nothing) for one not usable offline yet. */
  choose(id: string): boolean {
    const entry = this.bases.find((b) => b.id === id);
    if (!entry?.cached) return false;
    this.selectedId = id;
    return true;
  }

  /**
   * Downloads a catalog base with progress; on success it is marked cached and chosen. A cancel
   * leaves no error; a failure (offline, checksum…) is kept in words on its download state.
   */
  async download(id: string): Promise<BaseInfo | undefined> {
    if (this.downloads[id]?.running) return undefined;
    const controller = new AbortController();
    this.controllers[id] = controller;
    this.setDownload(id, { running: true });
    try {
      const info = await this.client.call(
        'models.download',
        { base: id },
        { signal: controller.signal, onProgress: (progress) => this.setDownload(id, { running: true, progress }) },
      );
      this.bases = this.bases.map((b) => (b.id === id ? { ...b, cached: true, info } : b));
      this.setDownload(id, undefined);
      this.choose(id);
      return info;
    } catch (error) {
      const cancelled = controller.signal.aborted || (error instanceof StudioError && error.code === 'CANCELLED');
      this.setDownload(id, cancelled ? undefined : { running: false, error: errorMessage(error) });
      return undefined;
    } finally {
      delete this.controllers[id];
    }
  }

  /** Cancels a running download (the engine keeps the partial file to resume later). */
  cancel(id: string): void {
    this.controllers[id]?.abort();
  }

  /** Forgets a failed download's error. */
  dismiss(id: string): void {
    this.setDownload(id, undefined);
  }

  /** Adds (or replaces) an imported base and chooses it. */
  addImported(info: BaseInfo): void {
    const entry: BaseEntry = {
      id: info.id,
      name: info.name,
      source: info.source,
      inputSize: info.inputSize,
      featureSize: info.featureSize,
      cached: true,
      fineTunable: info.fineTunable,
      info,
    };
    const at = this.bases.findIndex((b) => b.id === info.id);
    this.bases = at >= 0 ? this.bases.map((b, i) => (i === at ? entry : b)) : [...this.bases, entry];
    this.choose(info.id);
  }

  private setDownload(id: string, state: DownloadState | undefined): void {
    const { [id]: _, ...rest } = this.downloads;
    this.downloads = state ? { ...rest, [id]: state } : rest;
  }
}

/** Fraction done of a download (0…1), or undefined while the size is unknown. */
export function downloadFraction(progress: DownloadProgress | undefined): number | undefined {
  if (!progress || progress.totalBytes <= 0) return undefined;
  return Math.min(1, progress.bytes / progress.totalBytes);
}

/** Bytes in words: "13.6 MB", "840 kB", "0 B" (decimal units, like file managers). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
