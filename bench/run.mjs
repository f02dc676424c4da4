#!/usr/bin/env node
// `npm run bench -- <name> [--json] [...]`: runs bench/<name>.bench.ts (format: DESIGN.md §9).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
if (!name || !existsSync(path.join(here, `${name}.bench.ts`))) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [--json]; received ${JSON.stringify(name ?? '')}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, `${name}.bench.ts`), ...rest], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
