import type { exportContract } from '../../../shared/contract/export';
import type { HandlerMap } from '../handler';
import { formatInfos } from '../export/registry';
import { runExport } from '../export/run-export';

/** Handlers of the export domain (see shared/contract/export.ts). Thin: the work is in ../export/. */
export const exportHandlers: HandlerMap<Exclude<keyof typeof exportContract, 'host.showInFolder'>> = {
  'export.formats': async () => ({ formats: formatInfos() }),
  'export.run': (request, { signal, progress }) => runExport(request, { signal, progress }),
};
