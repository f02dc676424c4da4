/**
 * The recent projects list, kept in the app's config folder (env-paths) as recent-projects.json,
 * written atomically and serialized in-process. A missing or damaged list reads as empty.
 */
import { access, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { PROJECT_FILE, type RecentProject } from '../../../shared/contract/project';
import { writeTextAtomic } from './atomic';
import { serialize } from './lock';

/** Most projects kept in the list. */
export const RECENT_LIMIT = 20;

const RecentEntry = z.object({ dir: z.string().min(1), name: z.string(), openedAt: z.iso.datetime() });
type RecentEntry = z.infer<typeof RecentEntry>;
const RecentList = z.object({ version: z.literal(1), projects: z.array(RecentEntry) });

/** The list's file: `$TRANSFER_STUDIO_CONFIG_DIR/recent-projects.json`, else in the OS config folder. */
export function recentFile(): string {
  const dir = process.env.TRANSFER_STUDIO_CONFIG_DIR || envPaths('transfer-studio', { suffix: '' }).config;
  return path.join(dir, 'recent-projects.json');
}

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
 * @param file the list file. Default: {@link recentFile}().
 */
export async function rememberProject(dir: string, name: string, file = recentFile()): Promise<void> {
  const resolved = path.resolve(dir);
  await serialize(`recent:${file}`, async () => {
    const entries = (await readEntries(file)).filter((entry) => entry.dir !== resolved);
    entries.unshift({ dir: resolved, name, openedAt: new Date().toISOString() });
    await mkdir(path.dirname(file), { recursive: true });
    await writeTextAtomic(file, `${JSON.stringify({ version: 1, projects: entries.slice(0, RECENT_LIMIT) }, null, 2)}\n`);
  });
}

/**
 * The recent projects, newest first, each saying whether its project.json still exists.
 * @param file the list file. Default: {@link recentFile}().
 */
export async function listRecent(file = recentFile()): Promise<RecentProject[]> {
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
