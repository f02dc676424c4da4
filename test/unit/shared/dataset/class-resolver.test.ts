import { describe, expect, it } from 'vitest';
import { classResolver } from '../../../../shared/dataset/class-resolver';

describe('classResolver', () => {
  it('resolves renames, then merges, then exclusions', () => {
    const resolve = classResolver({
      renames: { kitten: 'cat', pup: 'puppy' },
      merges: [{ into: 'canine', from: ['puppy', 'dog'] }],
      excluded: ['junk'],
    });
    expect(['kitten', 'pup', 'dog', 'junk', 'cat'].map(resolve)).toEqual(['cat', 'canine', 'canine', undefined, 'cat']);
  });

  it('leaves a class out when it is excluded by its original, renamed or merged name', () => {
    const edits = { renames: { a: 'b', c: 'd' }, merges: [{ into: 'm', from: ['e'] }], excluded: ['a', 'd', 'm'] };
    const resolve = classResolver(edits);
    expect(['a', 'c', 'e', 'f'].map(resolve)).toEqual([undefined, undefined, undefined, 'f']);
  });

  it('without edits every class keeps its name, including names of Object.prototype', () => {
    const resolve = classResolver({ renames: {}, merges: [], excluded: [] });
    expect(['cats', 'constructor', 'toString'].map(resolve)).toEqual(['cats', 'constructor', 'toString']);
  });
});
