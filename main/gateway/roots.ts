import { realpathSync } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/errors';

/**
 * The folders the user chose (dialog, drop, or --root). Every user-supplied path in a request must
 * lie under one of them; symlinks are resolved first so a link cannot lead outside.
 */
export class AllowedRoots {
  private readonly roots = new Map<string, string>();

  constructor(initial: readonly string[] = []) {
    for (const root of initial) this.add(root);
  }

  /** Allows a folder (and everything under it). Returns its canonical path. */
  add(folder: string, label?: string): string {
    const canonical = canonicalize(path.resolve(folder));
    this.roots.set(canonical, label ?? (path.basename(canonical) || canonical));
    return canonical;
  }

  list(): { path: string; label: string }[] {
    return [...this.roots].map(([root, label]) => ({ path: root, label }));
  }

  /** The allowed root containing `target`, or undefined. */
  rootOf(target: string): string | undefined {
    if (!path.isAbsolute(target)) return undefined;
    const canonical = canonicalize(target);
    for (const root of this.roots.keys()) {
      const relative = path.relative(root, canonical);
      if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return root;
    }
    return undefined;
  }

  /** @throws StudioError PATH_NOT_ALLOWED quoting the path when it is outside every root. */
  check(target: string): void {
    if (this.rootOf(target) === undefined) {
      throw new StudioError(
        'PATH_NOT_ALLOWED',
        `${JSON.stringify(target)} is outside the folders you opened. Choose or drop that folder first.`,
        { path: target },
      );
    }
  }
}

/** Real path of the longest existing prefix, with the missing tail re-attached (for paths to be created). */
function canonicalize(target: string): string {
  const resolved = path.resolve(target);
  let existing = resolved;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync.native(existing), ...tail);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return resolved;
      tail.unshift(path.basename(existing));
      existing = parent;
    }
  }
}
