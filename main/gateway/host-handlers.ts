import { StudioError } from '../../shared/errors';
import type { EngineLink } from '../engine-link/engine-link';
import { listDir } from './list-dir';
import { makeDir } from './make-dir';
import type { AllowedRoots } from './roots';
import type { HostHandlers } from './gateway';

export interface HostHandlerDeps {
  engine: EngineLink;
  roots: AllowedRoots;
  /** Shows a native folder dialog; absent in browser mode. Default: none. */
  chooseFolders?: (title: string | undefined) => Promise<string[]>;
  /** Shows a path in the system's file manager; absent in browser mode. Default: none. */
  showInFolder?: (path: string) => void;
}

/** Host calls, the same in Electron and in the server but for the native dialog. */
export function createHostHandlers({ engine, roots, chooseFolders, showInFolder }: HostHandlerDeps): HostHandlers {
  return {
    'host.roots': async () => ({ roots: roots.list(), nativeDialog: chooseFolders !== undefined }),
    'host.listDir': async ({ path }) => listDir(roots, path),
    'host.makeDir': async ({ parent, name }) => makeDir(roots, parent, name),
    'host.chooseFolders': async ({ title }) => {
      if (!chooseFolders) {
        throw new StudioError(
          'UNSUPPORTED',
          'Native folder dialogs exist only in the desktop app; use the folder browser.',
        );
      }
      const paths = await chooseFolders(title);
      return { paths: paths.map((folder) => roots.add(folder)) };
    },
    'host.showInFolder': async ({ path }) => {
      if (!showInFolder) {
        throw new StudioError(
          'UNSUPPORTED',
          'Show in folder exists only in the desktop app; download the export as a .zip instead.',
        );
      }
      showInFolder(path);
      return {};
    },
    'host.restartEngine': async () => {
      const pid = await engine.restart();
      return { pid: pid ?? -1 };
    },
  };
}
