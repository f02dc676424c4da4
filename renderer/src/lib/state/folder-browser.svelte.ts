import type { StudioClient } from '../api';
import type { ResponseOf } from '../../../../shared/contract';
import { errorMessage } from '../error-message';
import { LatestRequest } from '../latest-request';

export type Listing = ResponseOf<'host.listDir'>;
export type RootEntry = ResponseOf<'host.roots'>['roots'][number];

/**
 * The browser-mode folder picker: walks the server's allowed roots with `host.listDir`.
 * `listing` undefined means the roots themselves are shown.
 */
export class FolderBrowser {
  roots = $state.raw<readonly RootEntry[]>([]);
  listing = $state.raw<Listing | undefined>();
  loading = $state(false);
  error = $state<string | undefined>();

  /** Sub-folders of the folder shown. */
  readonly folders = $derived(this.listing?.entries.filter((entry) => entry.isDirectory) ?? []);
  /** How many files sit directly in the folder shown. */
  readonly fileCount = $derived(this.listing?.entries.filter((entry) => !entry.isDirectory).length ?? 0);
  /** The root holding the folder shown. */
  readonly root = $derived(
    this.listing ? this.roots.find((root) => isInside(this.listing!.path, root.path)) : undefined,
  );
  /** Path segments from the root to the folder shown, for the breadcrumb. */
  readonly trail = $derived.by(() => {
    const listing = this.listing;
    const root = this.root;
    if (!listing || !root) return [];
    const sep = root.path.includes('\\') && !root.path.includes('/') ? '\\' : '/';
    const rest = listing.path.slice(root.path.length).split(/[\\/]/).filter(Boolean);
    const crumbs = [{ name: root.label, path: root.path }];
    let at = root.path;
    for (const name of rest) {
      at = at.endsWith(sep) ? at + name : at + sep + name;
      crumbs.push({ name, path: at });
    }
    return crumbs;
  });

  private readonly latest = new LatestRequest();

  constructor(private readonly client: StudioClient) {}

  /** Loads the roots; with a single root, opens it directly. */
  async open(): Promise<void> {
    await this.load(async () => {
      const { roots } = await this.client.call('host.roots', {});
      return () => {
        this.roots = roots;
        this.listing = undefined;
      };
    });
    if (this.roots.length === 1 && !this.error) await this.enter(this.roots[0]!.path);
  }

  /** Shows the contents of a folder under a root. */
  async enter(path: string): Promise<void> {
    await this.load(async () => {
      const listing = await this.client.call('host.listDir', { path });
      return () => (this.listing = listing);
    });
  }

  /** Goes to the parent folder, or back to the list of roots from a root. */
  async up(): Promise<void> {
    const parent = this.listing?.parent;
    if (parent) await this.enter(parent);
    else if (this.roots.length > 1) this.listing = undefined;
  }

  /** True when there is somewhere to go up to. */
  get canGoUp(): boolean {
    return Boolean(this.listing?.parent) || (this.listing !== undefined && this.roots.length > 1);
  }

  /** Runs one request; only the newest one's answer is applied. */
  private async load(fetch: () => Promise<() => void>): Promise<void> {
    const current = this.latest.begin();
    this.loading = true;
    this.error = undefined;
    try {
      const apply = await fetch();
      if (current()) apply();
    } catch (error) {
      if (current()) this.error = errorMessage(error);
    } finally {
      if (current()) this.loading = false;
    }
  }
}

function isInside(target: string, root: string): boolean {
  return (
    target === root ||
    target.startsWith(root.endsWith('/') || root.endsWith('\\') ? root : root + '/') ||
    target.startsWith(root + '\\')
  );
}
