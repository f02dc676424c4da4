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

/**
 * "Import a model folder…": pick a folder (native dialog or folder browser), inspect it with
 * `models.inspectImport`, let the user change the cut layer, scaling and name, then `models.import`.
 */
export class BaseImport {
  /** The folder being imported. */
  path = $state<string | undefined>();
  /** What `models.inspectImport` found in it. */
  inspection = $state.raw<Inspection | undefined>();
  /** Layer the features are cut at. Default: the inspection's default cut layer. */
  cutLayer = $state('');
  /** Default: x/255. */
  scaling = $state<Scaling>('x/255');
  /** Display name. Default: the folder name. */
  name = $state('');
  busy = $state(false);
  error = $state<string | undefined>();

  /** The cut layer's row, for its output shape. */
  readonly cut = $derived(this.inspection?.layers.find((layer) => layer.name === this.cutLayer));
  readonly folderName = $derived(this.path?.split(/[\\/]/).filter(Boolean).at(-1) ?? '');

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
    let info: BaseInfo | undefined;
    await this.run(async () => {
      info = await this.client.call('models.import', {
        path,
        cutLayer: this.cutLayer || undefined,
        scaling: this.scaling,
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
    this.error = undefined;
  }

  private async inspectNow(path: string): Promise<void> {
    this.inspection = undefined;
    this.path = path;
    const inspection = await this.client.call('models.inspectImport', { path });
    this.inspection = inspection;
    this.cutLayer = inspection.defaultCutLayer;
    this.name = this.folderName;
  }

  private run(work: () => Promise<void>): Promise<void> {
    return runBusy(this, work, undefined);
  }
}
