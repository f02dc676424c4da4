/**
 * Child of atomic-write.test.ts: starts an atomic write of argv[3] into the file argv[2] and dies by
 * SIGKILL once the temp file is complete, before the rename — a crash at the worst moment.
 */
import { writeFileAtomic } from '../../../../../main/engine/fs/atomic-write';

const [file, text] = process.argv.slice(2) as [string, string];
await writeFileAtomic(file, text, {
  beforeRename: async () => {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {}); // the signal lands before this settles
  },
});
