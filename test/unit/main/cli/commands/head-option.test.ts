import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../../../main/cli';
import { checkHeadOption, headOptionHelp, parseHeadOption } from '../../../../../main/cli/commands/summary';
import { StudioError } from '../../../../../shared/errors';
import { HEAD_LAYER_KINDS } from '../../../../../shared/layer-spec';

describe('--head', () => {
  it('parses the table tokens and keeps train text as given', () => {
    expect(parseHeadOption('dense:128:relu,dropout:0.2')).toEqual({
      layers: [
        { kind: 'dense', units: 128, activation: 'relu' },
        { kind: 'dropout', rate: 0.2 },
      ],
    });
    expect(checkHeadOption('gap,dense:8')).toBe('gap,dense:8');
  });

  it('refuses a bad token quoting only its bad part, before any engine starts', async () => {
    const run = (...args: string[]) => createProgram().parseAsync(args, { from: 'user' });
    const summary = run(
      'summary',
      '--base',
      'nsfwjs-mobilenet-v2',
      '--head',
      'dense:128:relu,dense:abc:relu',
      '--classes',
      '2',
    );
    await expect(summary).rejects.toThrow(StudioError);
    await expect(summary).rejects.toThrow(
      'Invalid --head: layer 1 (dense): "abc" is not a whole number of units; ' +
        'expected dense:UNITS[:ACTIVATION][:NAME], e.g. dense:128:relu',
    );
    const train = run('train', 'photos', '--head', 'gap,dense:8:wiggle');
    await expect(train).rejects.toThrow(/^Invalid --head: layer 1 \(dense\): "wiggle" is not an activation \(relu, /);
    await expect(train).rejects.not.toThrow(/gap,dense:8:wiggle/);
  });

  it('lists every kind of the table in the help', () => {
    const help = headOptionHelp('dense:128:relu');
    for (const entry of HEAD_LAYER_KINDS)
      expect(help).toContain(`${entry.token.names[0]}${entry.token.args ? ':' : '[:NAME]'}`);
    expect(help).toContain('dense:UNITS[:ACTIVATION][:NAME]');
  });
});
