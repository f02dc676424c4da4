import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AllowedRoots } from '../../../../main/gateway/roots';
import { listDir } from '../../../../main/gateway/list-dir';

function tree() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'ts-roots-'));
  const allowed = path.join(base, 'photos');
  const secret = path.join(base, 'secret');
  mkdirSync(path.join(allowed, 'cats'), { recursive: true });
  mkdirSync(path.join(allowed, '.hidden'));
  mkdirSync(secret);
  symlinkSync(secret, path.join(allowed, 'escape'));
  return { base, allowed, secret };
}

describe('AllowedRoots', () => {
  it('allows paths under a root, including ones not created yet', () => {
    const { allowed } = tree();
    const roots = new AllowedRoots([allowed]);
    expect(() => roots.check(path.join(allowed, 'cats'))).not.toThrow();
    expect(() => roots.check(path.join(allowed, 'new', 'run'))).not.toThrow();
    expect(() => roots.check(allowed)).not.toThrow();
  });

  it('refuses siblings, parents, traversal, relative paths and symlinks that lead out', () => {
    const { allowed, secret, base } = tree();
    const roots = new AllowedRoots([allowed]);
    expect(() => roots.check(secret)).toThrow(/outside the folders you opened/);
    expect(() => roots.check(base)).toThrow(/PATH|outside/);
    expect(() => roots.check(path.join(allowed, '..', 'secret'))).toThrow(/outside/);
    expect(() => roots.check('photos/cats')).toThrow(/outside/);
    expect(() => roots.check(path.join(allowed, 'escape'))).toThrow(/outside/);
    expect(() => roots.check(`${allowed}-evil`)).toThrow(/outside/);
  });

  it('quotes the refused path', () => {
    const roots = new AllowedRoots([]);
    expect(() => roots.check('/etc/passwd')).toThrow('"/etc/passwd"');
  });

  it('lists a folder: folders first, hidden entries left out, parent null at the root', async () => {
    const { allowed } = tree();
    const roots = new AllowedRoots([allowed]);
    const listing = await listDir(roots, allowed);
    expect(listing.parent).toBeNull();
    expect(listing.entries.map((e) => e.name)).toEqual(['cats', 'escape']);
    const inner = await listDir(roots, path.join(allowed, 'cats'));
    expect(inner.parent).toBe(roots.list()[0]!.path);
    await expect(listDir(roots, path.join(allowed, 'missing'))).rejects.toThrow(/does not exist/);
  });
});
