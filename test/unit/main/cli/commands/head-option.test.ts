import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkHeadOption, headOptionHelp, parseHeadOption } from '../../../../../main/cli/commands/summary';
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

  it('refuses a bad token quoting only its bad part, through commander', () => {
    expect(() => parseHeadOption('dense:abc:relu')).toThrow(InvalidArgumentError);
    const program = new Command().exitOverride();
    let said = '';
    program
      .option('--head <spec>', headOptionHelp('dense:128:relu'), checkHeadOption)
      .configureOutput({ writeErr: (text) => (said += text) });
    expect(() => program.parse(['--head', 'dense:128:relu,dense:abc:relu'], { from: 'user' })).toThrow();
    expect(said).toContain('layer 1 (dense): "abc" is not a whole number of units');
    expect(said).not.toContain('"dense:abc:relu"');
  });

  it('lists every kind of the table in the help', () => {
    const help = headOptionHelp('dense:128:relu');
    for (const entry of HEAD_LAYER_KINDS)
      expect(help).toContain(`${entry.token.names[0]}${entry.token.args ? ':' : '[:NAME]'}`);
    expect(help).toContain('dense:UNITS[:ACTIVATION][:NAME]');
  });
});
