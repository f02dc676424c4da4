import type { ResponseOf } from '../../../../shared/contract';
import type { BaseInfo, Scaling } from '../../../../shared/contract/models';
import type { StudioClient } from '../api';
import { runBusy } from '../busy-task';

export type Inspection = ResponseOf<'models.inspectImport'>;

/** The pixel scalings a base may expect, in words. */
export const SCALINGS: readonly { value: Scaling; label: string }[] = [
  { value: 'x/255', label: 'x / 255 → [0, 1]' },
  { value: 'x/127.5-1', label: 'x / 127.5 − 1 → [−1, 1] (Keras MobileNet)' },
  { value: 'x', label: 'x, unchanged → [0, 255]' },
];

/** A scaling in words (the value itself when it is not one of {@link SCALINGS}). */
export function scalingLabel(scaling: Scaling | undefined): string {
  return SCALINGS.find((s) => s.value === scaling)?.label ?? String(scaling ?? '');
}

/** True for a Keras model file name (.h5 / .hdf5). */
export function isKerasFileName(name: string): boolean {
  return /\.(h5|hdf5)$/i.test(name);
}

/**
 * "Import a model…": pick a folder (native dialog or folder browser), inspect it with
 * `models.inspectImport`, let the user change the cut layer, scaling and name, then `models.import`.
 * A folder without model.json but with Keras .h5 files offers those files (the only one is inspected at once);
 * a Keras file that does not scale its input itself must get a scaling chosen before importing.
 */
export class BaseImport {
  /** The folder being imported. */
  path = $state<string | undefined>();
  /** What `models.inspectImport` found in it. */
  inspection = $state.raw<Inspection | undefined>();
  /** Layer the features are cut at. Default: the inspection's default cut layer. */
  cutLayer = $state('');
  /** Default: x/255 for tfjs folders; none (to be chosen) for Keras files that cannot tell. */
  scaling = $state<Scaling | ''>('x/255');
  /** Keras .h5 files of a chosen folder without model.json, to pick one from. */
  kerasFiles = $state.raw<string[]>([]);
  /** Display name. Default: the folder name. */
  name = $state('');
  busy = $state(false);
  error = $state<string | undefined>();

  /** The cut layer's row, for its output shape. */
  readonly cut = $derived(this.inspection?.layers.find((layer) => layer.name === this.cutLayer));
  readonly folderName = $derived(this.path?.split(/[\\/]/).filter(Boolean).at(-1) ?? '');
  /**
   * True when the file tells its scaling: a Keras model starting with Rescaling ('x'), or a keras.applications
   * weights file whose architecture fixes it.
   */
  readonly fileScales = $derived(this.inspection?.scaling !== undefined);

  constructor(private readonly client: StudioClient) {}

  /** Opens the native folder dialog (desktop) and inspects the chosen folder. */
  async chooseWithDialog(): Promise<void> {
    await this.run(async () => {
      const { paths } = await this.client.call('host.chooseFolders', { title: 'Choose a TF.js model folder' });
      if (paths[0]) await this.inspectNow(paths[0]);
    });
  }

  /** Inspects a folder (one the host already allows). */
  async inspect(path: string): Promise<void> {
    await this.run(() => this.inspectNow(path));
  }

  /** Imports the inspected folder; returns the new base's record, or undefined on failure. */
  async commit(): Promise<BaseInfo | undefined> {
    const path = this.path;
    if (!path || !this.inspection) return undefined;
    if (!this.fileScales && !this.scaling) {
      this.error = 'Choose the pixel scaling the model was trained with: the file does not say.';
      return undefined;
    }
    let info: BaseInfo | undefined;
    await this.run(async () => {
      info = await this.client.call('models.import', {
        path,
        cutLayer: this.cutLayer || undefined,
        scaling: this.fileScales ? undefined : this.scaling || undefined,
        name: this.name.trim() || undefined,
      });
      this.reset();
    });
    return info;
  }

  /** Forgets the folder and its inspection. */
  reset(): void {
    this.path = undefined;
    this.inspection = undefined;
    this.cutLayer = '';
    this.name = '';
    this.scaling = 'x/255';
    this.kerasFiles = [];
    this.error = undefined;
  }

  /** Inspects one of the offered Keras files. */
  async pickKerasFile(file: string): Promise<void> {
    await this.run(() => this.inspectNow(file));
  }

  private async inspectNow(path: string): Promise<void> {
    this.inspection = undefined;
    this.path = path;
    let inspection: Inspection;
    try {
      inspection = await this.client.call('models.inspectImport', { path });
    } catch (error) {
      if (isKerasFileName(path) || !(await this.offerKerasFiles(path))) throw error;
      return;
    }
    this.inspection = inspection;
    this.kerasFiles = [];
    this.cutLayer = inspection.defaultCutLayer;
    this.scaling = inspection.format === 'keras' ? (inspection.scaling ?? '') : 'x/255';
    this.name = this.folderName.replace(/\.(h5|hdf5)$/i, '');
  }

  /** Lists the .h5 files of a folder without model.json; inspects the only one. False when it has none. */
  private async offerKerasFiles(folder: string): Promise<boolean> {
    const listing = await this.client.call('host.listDir', { path: folder }).catch(() => undefined);
    const files = (listing?.entries ?? []).filter((e) => !e.isDirectory && isKerasFileName(e.name)).map((e) => e.path);
    if (files.length === 0) return false;
    if (files.length === 1) {
      await this.inspectNow(files[0]!);
      return true;
    }
    this.path = undefined;
    this.kerasFiles = files;
    return true;
  }

  private run(work: () => Promise<void>): Promise<void> {
    return runBusy(this, work, undefined);
  }
}
