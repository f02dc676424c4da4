import type { DataSource } from '../../../../shared/contract/data';
import { StudioError } from '../../../../shared/errors';
import type { StudioClient } from '../api';
import { runBusy } from '../busy-task';

/** How a folder is organised: 'parent' holds one sub-folder per class, 'class' is one class itself. */
export type SourceMode = DataSource['mode'];

/** What one chosen folder holds, from `host.listDir` (undefined while loading or when unreadable). */
export interface FolderContents {
  /** Sub-folder names, sorted. */
  folders: readonly string[];
  /** Paths of the files directly inside whose names look like images, sorted. */
  images: readonly string[];
}

/** File names the engine's scan reads as images (by extension; the scan checks the bytes). */
export const IMAGE_NAME = /\.(jpe?g|png|webp|gif|avif|tiff?|bmp)$/i;

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

  /** The mode of each folder: guessed from its contents when added, then the user's choice. */
  modes = $state.raw<Readonly<Record<string, SourceMode>>>({});
  /** What each folder holds (for the mode guess, class names and sample images). */
  contents = $state.raw<Readonly<Record<string, FolderContents>>>({});

  readonly count = $derived(this.folders.length);
  readonly complete = $derived(this.folders.length > 0);
  /** True when every folder's mode is known (guessed or chosen): the dataset can be scanned. */
  readonly settled = $derived(this.folders.every((folder) => this.modes[folder] !== undefined));
  /** The folders as the engine's {@link DataSource}s (undecided folders count as 'parent'). */
  readonly sources: readonly DataSource[] = $derived(
    this.folders.map((path) => ({ path, mode: this.modes[path] ?? 'parent' })),
  );

  constructor(private readonly client: StudioClient) {}

  /** The mode of a folder. Default: 'parent' until guessed. */
  modeOf(folder: string): SourceMode {
    return this.modes[folder] ?? 'parent';
  }

  /** Sets how a folder is read: a folder of class folders ('parent') or one class ('class'). */
  setMode(folder: string, mode: SourceMode): void {
    if (!this.folders.includes(folder) || this.modes[folder] === mode) return;
    this.modes = { ...this.modes, [folder]: mode };
  }

  /**
   * Follows File › Open Folders… (desktop): folders the host reports as `added` join the dataset.
   * Returns the unsubscribe function.
   */
  listen(): () => void {
    return this.client.on('host.rootsChanged', ({ added }) => {
      if (added.length > 0) this.add(added);
    });
  }

  /** Whether this client can turn dropped files into folders (the desktop app). */
  get canDrop(): boolean {
    return this.client.kind === 'electron' && this.client.allowDroppedFiles !== undefined;
  }

  /** Adds folders not yet chosen; returns how many were new. */
  add(paths: readonly string[]): number {
    const fresh = paths.filter((folder, i) => !this.folders.includes(folder) && paths.indexOf(folder) === i);
    if (fresh.length > 0) this.folders = [...this.folders, ...fresh];
    this.error = undefined;
    for (const folder of fresh) void this.inspect(folder);
    return fresh.length;
  }

  remove(folder: string): void {
    this.folders = this.folders.filter((existing) => existing !== folder);
    const { [folder]: _mode, ...modes } = this.modes;
    const { [folder]: _contents, ...contents } = this.contents;
    this.modes = modes;
    this.contents = contents;
  }

  /**
   * Lists a folder and guesses its mode like the engine does: 'class' when it holds images and no
   * sub-folders, 'parent' otherwise (also when it cannot be listed; the scan then says why).
   */
  private async inspect(folder: string): Promise<void> {
    let found: FolderContents | undefined;
    try {
      const listing = await this.client.call('host.listDir', { path: folder });
      found = {
        // A project kept beside the images is not a class (the scan skips it too).
        folders: listing.entries.filter((entry) => entry.isDirectory && !entry.isProject).map((entry) => entry.name),
        images: listing.entries
          .filter((entry) => !entry.isDirectory && IMAGE_NAME.test(entry.name))
          .map((entry) => entry.path),
      };
    } catch {
      found = undefined;
    }
    if (!this.folders.includes(folder)) return;
    if (found) this.contents = { ...this.contents, [folder]: found };
    if (this.modes[folder] === undefined) {
      const mode: SourceMode = found && found.images.length > 0 && found.folders.length === 0 ? 'class' : 'parent';
      this.modes = { ...this.modes, [folder]: mode };
    }
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
      if (paths.length === 0)
        throw new StudioError('BAD_INPUT', 'Nothing dropped came from a folder on this computer.');
      return this.add(paths);
    });
  }

  private run(work: () => Promise<number>): Promise<number> {
    return runBusy(this, work, 0);
  }
}
