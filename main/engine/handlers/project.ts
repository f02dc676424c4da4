import type { projectContract } from '../../../shared/contract/project';
import type { HandlerMap } from '../handler';
import { createProject, openProject, updateProject } from '../project/store';
import { listRecent } from '../project/recent';

/** Handlers of the project domain (see shared/contract/project.ts); the work is in main/engine/project. */
export const projectHandlers: HandlerMap<keyof typeof projectContract> = {
  async 'project.create'({ dir, name }) {
    return createProject(dir, { name });
  },

  async 'project.open'({ dir, remember }) {
    return openProject(dir, { remember });
  },

  async 'project.update'({ dir, patch, expectedRevision }) {
    return updateProject(dir, patch, { expectedRevision });
  },

  async 'project.recent'() {
    return { projects: await listRecent() };
  },
};
