import { StudioError } from '../../../../shared/errors';
import type { StudioClient } from '../api';

/**
 * The image folders the user chose for the dataset (one folder of class sub-folders, or several
 * class folders). Folders come from the native dialog, a drop (desktop) or the folder browser.
 */
export class DataSources {
  /** Chosen folders, in the order added, without duplicates. */
  folders = $state.raw<readonly string[]>([]);
  /** True while a dialog or a drop is being handled. */
  busy = $state(false);
  /** The last failure, in words. */
  error = $state<string | undefined>();

  readonly count = $derived(this.folders.length);
  readonly complete = $derived(this.folders.length > 0);

  constructor(private readonly client: StudioClient) {}

  /** Whether this client can turn dropped files into folders (the desktop app). */
  get canDrop(): boolean {
    return this.client.kind === 'electron' && this.client.allowDroppedFiles !== undefined;
  }

  /** Adds folders not yet chosen; returns how many were new. */
  add(paths: readonly string[]): number {
    const fresh = paths.filter((folder, i) => !this.folders.includes(folder) && paths.indexOf(folder) === i);
    if (fresh.length > 0) this.folders = [...this.folders, ...fresh];
    this.error = undefined;
    return fresh.length;
  }

  remove(folder: string): void {
    this.folders = this.folders.filter((existing) => existing !== folder);
  }

  /** Opens the native folder dialog (desktop) and adds what the user chose. */
  async chooseWithDialog(): Promise<number> {
    return this.run(async () => {
      const { paths } = await this.client.call('host.chooseFolders', { title: 'Choose image folders' });
      return this.add(paths);
    });
  }

  /** Adds dropped folders (desktop only; files without a path on disk are left out). */
  async addDropped(files: readonly File[]): Promise<number> {
    return this.run(async () => {
      if (!this.client.allowDroppedFiles) {
        throw new StudioError('UNSUPPORTED', 'Dropping folders works in the desktop app only.');
      }
      const paths = await this.client.allowDroppedFiles(files);
      if (paths.length === 0) throw new StudioError('BAD_INPUT', 'Nothing dropped came from a folder on this computer.');
      return this.add(paths);
    });
  }

  private async run(work: () => Promise<number>): Promise<number> {
    this.busy = true;
    this.error = undefined;
    try {
      return await work();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return 0;
    } finally {
      this.busy = false;
    }
  }
}
