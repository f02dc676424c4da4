/**
 * Crash-test writer: updates a project in a tight loop and prints each committed revision on its
 * own line ("rev N"), until the parent SIGKILLs it. Run with `node --import tsx writer-child.ts <dir>`.
 */
import { updateProject } from '../../../main/engine/project/store';

const dir = process.argv[2]!;
for (let i = 0; ; i++) {
  const opened = await updateProject(dir, {
    name: `write ${i}`,
    head: {
      layers: [
        { kind: 'dense', units: 1 + (i % 500), activation: 'relu' },
        { kind: 'dropout', rate: 0.1 },
      ],
    },
    // A long section so each write takes a while and kills land mid-write.
    dataset: {
      sources: Array.from({ length: 200 }, (_, k) => ({ path: `/data/${i}/folder-${k}`, mode: 'parent' as const })),
      renames: {},
      merges: [],
      excluded: [],
    },
  });
  process.stdout.write(`rev ${opened.project.revision}\n`);
}
