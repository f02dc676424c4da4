import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | undefined;

/**
 * The folder holding this app's package.json, found by walking up from this module
 * (works from sources, from the esbuild output in out/, and inside an asar archive).
 */
export function appRoot(): string {
  return appPackage().root;
}

/** The app's version from package.json. */
export function appVersion(): string {
  return appPackage().version;
}

function appPackage(): { root: string; version: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'transfer-studio') {
        cached = { root: dir, version: pkg.version ?? '0.0.0' };
        return cached;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`transfer-studio package.json not found above ${import.meta.url}`);
    dir = parent;
  }
}
