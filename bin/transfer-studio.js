#!/usr/bin/env node
// The `transfer-studio` command: builds out/ on first use (a fresh clone), then runs the CLI.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/cli/entry.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  const build = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('transfer-studio: the build failed; run `npm run build` to see why.');
    process.exit(1);
  }
}
await import(cli.href);
