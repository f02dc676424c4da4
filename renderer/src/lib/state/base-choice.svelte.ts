import type { ProgressOf } from '../../../../shared/contract';
import type { BaseInfo, BaseListItem, BaseSource, BaseSpeed } from '../../../../shared/contract/models';
import { recommendBase, type Recommendation } from '../../../../shared/auto/recommend-base';
import { bestExtractSpeed } from '../../../../shared/auto/speeds';
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

  /** Each base's speed measured on this computer (models.speeds), by id. */
  speeds = $state.raw<Readonly<Record<string, BaseSpeed>>>({});
  /** Why the speed record was ignored, in words (it is rebuilt by the next measurement). */
  speedNotice = $state<string | undefined>();
  /** Whether the catalog's server answers (undefined until asked, and when asking failed). */
  networkReachable = $state<boolean | undefined>();
  /** Speed probes running or failed, by base id. */
  measuring = $state.raw<Readonly<Record<string, { running: boolean; error?: string }>>>({});
  /** Images of the dataset and the time budget, for weighing the recommendation. Default: unknown. */
  workload = $state.raw<{ images?: number; budgetSeconds?: number }>({});

  /** The one base recommended, with why (shared/auto/recommend-base.ts). */
  readonly recommendation: Recommendation | undefined = $derived(
    recommendBase({
      bases: this.bases.map((b) => {
        const extract = bestExtractSpeed(this.speeds[b.id]);
        return { ...b, ...(extract !== undefined ? { extractPerSecond: extract } : {}) };
      }),
      ...(this.networkReachable !== undefined ? { networkReachable: this.networkReachable } : {}),
      ...this.workload,
    }),
  );

  private readonly controllers: Record<string, AbortController> = {};

  constructor(private readonly client: StudioClient) {}

  /** Loads the list of bases, then every base's record (in parallel); speeds and the network check alongside. */
  async load(): Promise<void> {
    void this.loadSpeeds();
    void this.checkNetwork();
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

  /** Reads the measured speeds (a failure leaves them unknown: cards say "not measured yet"). */
  async loadSpeeds(): Promise<void> {
    try {
      const { speeds, notice } = await this.client.call('models.speeds', {});
      this.speeds = speeds;
      this.speedNotice = notice;
    } catch {
      // Unknown speeds are shown as not measured.
    }
  }

  /** Asks whether the catalog's server answers, for the recommendation. */
  async checkNetwork(): Promise<void> {
    try {
      this.networkReachable = (await this.client.call('models.network', {})).reachable;
    } catch {
      this.networkReachable = undefined;
    }
  }

  /** Measures a base with the engine's quick probe (cancellable with {@link cancelMeasure}); the card then shows it. */
  async measure(id: string): Promise<void> {
    if (this.measuring[id]?.running) return;
    const controller = new AbortController();
    this.controllers[`measure:${id}`] = controller;
    this.measuring = { ...this.measuring, [id]: { running: true } };
    try {
      const speed = await this.client.call('models.measureSpeed', { base: id }, { signal: controller.signal });
      this.speeds = { ...this.speeds, [id]: speed };
      this.measuring = omit(this.measuring, id);
    } catch (error) {
      const cancelled = controller.signal.aborted || (error instanceof StudioError && error.code === 'CANCELLED');
      this.measuring = cancelled
        ? omit(this.measuring, id)
        : { ...this.measuring, [id]: { running: false, error: errorMessage(error) } };
    } finally {
      delete this.controllers[`measure:${id}`];
    }
  }

  /** Stops a running speed probe. */
  cancelMeasure(id: string): void {
    this.controllers[`measure:${id}`]?.abort();
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

function omit<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _, ...rest } = record;
  return rest;
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
