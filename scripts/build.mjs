#!/usr/bin/env node
// One build for every part: main, preload, engine and CLI with esbuild; the Svelte renderer with Vite.
// `--if-stale` skips the build when out/ is newer than every source file.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const stamp = path.join(out, '.build-stamp');
const sourceDirs = ['main', 'shared', 'renderer', 'scripts'];

function newestSource() {
  let newest = statSync(path.join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of sourceDirs) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource()) {
  process.exit(0);
}

const started = Date.now();
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};
await Promise.all([
  esbuild({ ...node, format: 'esm', entryPoints: { 'main/app': 'main/app.ts' }, outdir: out, external: ['electron'] }),
  esbuild({ ...node, format: 'esm', entryPoints: { 'engine/entry': 'main/engine/entry.ts' }, outdir: out }),
  esbuild({ ...node, format: 'esm', entryPoints: { 'cli/entry': 'main/cli/entry.ts' }, outdir: out }),
  // Sandboxed preloads must be CommonJS with everything but electron bundled in.
  esbuild({
    ...node,
    packages: undefined,
    minify: true,
    format: 'cjs',
    entryPoints: { 'preload/preload': 'main/preload.ts' },
    outdir: out,
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
mkdirSync(out, { recursive: true });
writeFileSync(stamp, new Date().toISOString());
console.error(`built out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
