import { describe, expect, it } from 'vitest';
import { budgetAdjective, budgetWords, parseBudget } from '../../../../shared/auto/budget';
import { StudioError } from '../../../../shared/errors';

describe('parseBudget', () => {
  it.each([
    ['90s', 90],
    ['5m', 300],
    ['1h', 3600],
    ['1.5h', 5400],
    ['1h30m', 5400],
    [' 2 min ', 120],
    ['45 seconds', 45],
    ['10M', 600],
  ])('reads %j as %d s', (text, seconds) => {
    expect(parseBudget(text)).toBe(seconds);
  });

  it.each(['', '5', 'five minutes', '5x', '5m banana', '-5m', 'm5'])('refuses %j, quoting it', (text) => {
    try {
      parseBudget(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).code).toBe('BAD_INPUT');
      expect((error as StudioError).message).toContain(JSON.stringify(text));
      expect((error as StudioError).message).toMatch(/90s, 5m or 1h/);
    }
  });

  it('refuses budgets outside 10 s … 48 h, naming the range', () => {
    expect(() => parseBudget('5s')).toThrow(/"5s".*between 10 s and 48 h/);
    expect(() => parseBudget('49h')).toThrow(/"49h"/);
  });
});

describe('budget in words', () => {
  it('says seconds, minutes and hours', () => {
    expect(budgetWords(90)).toBe('90 s');
    expect(budgetWords(300)).toBe('5 min');
    expect(budgetWords(3600)).toBe('1 h');
    expect(budgetWords(5400)).toBe('1 h 30 min');
    expect(budgetAdjective(90)).toBe('90-second');
    expect(budgetAdjective(300)).toBe('5-minute');
    expect(budgetAdjective(7200)).toBe('2-hour');
  });
});
