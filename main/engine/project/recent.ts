/**
 * The recent projects list, kept in the app's config folder as recent-projects.json (see app-paths),
 * written atomically and serialized in-process. A missing or damaged list reads as empty.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_FILE, type RecentProject } from '../../../shared/contract/project';
import { recentProjectsFile } from '../app-paths';
import { writeFileAtomic } from '../fs/atomic-write';
import { serialize } from './lock';

/** Most projects kept in the list. */
export const RECENT_LIMIT = 20;

const RecentEntry = z.object({ dir: z.string().min(1), name: z.string(), openedAt: z.iso.datetime() });
type RecentEntry = z.infer<typeof RecentEntry>;
const RecentList = z.object({ version: z.literal(1), projects: z.array(RecentEntry) });

async function readEntries(file: string): Promise<RecentEntry[]> {
  try {
    const parsed = RecentList.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data.projects : [];
  } catch {
    return [];
  }
}

/**
 * Puts a project at the top of the list (once, newest first, at most {@link RECENT_LIMIT}).
 * @param file the list file. Default: {@link recentProjectsFile}() (`<config>/recent-projects.json`).
 */
export async function rememberProject(dir: string, name: string, file = recentProjectsFile()): Promise<void> {
  const resolved = path.resolve(dir);
  await serialize(`recent:${file}`, async () => {
    const entries = (await readEntries(file)).filter((entry) => entry.dir !== resolved);
    entries.unshift({ dir: resolved, name, openedAt: new Date().toISOString() });
    const text = `${JSON.stringify({ version: 1, projects: entries.slice(0, RECENT_LIMIT) }, null, 2)}\n`;
    await writeFileAtomic(file, text, { createFolder: true });
  });
}

/**
 * The recent projects, newest first, each saying whether its project.json still exists.
 * @param file the list file. Default: {@link recentProjectsFile}() (`<config>/recent-projects.json`).
 */
export async function listRecent(file = recentProjectsFile()): Promise<RecentProject[]> {
  const entries = await readEntries(file);
  return Promise.all(
    entries.map(async (entry) => ({
      ...entry,
      exists: await access(path.join(entry.dir, PROJECT_FILE)).then(
        () => true,
        () => false,
      ),
    })),
  );
}
