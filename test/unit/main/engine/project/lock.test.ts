import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { serialize } from '../../../../../main/engine/project/lock';

describe('serialize', () => {
  it('runs work of one key in call order, even after a failure, and other keys independently', async () => {
    const order: string[] = [];
    const slow = serialize('k', async () => {
      await sleep(20);
      order.push('first');
      throw new Error('boom');
    });
    const second = serialize('k', async () => {
      order.push('second');
      return 2;
    });
    const other = serialize('other', async () => {
      order.push('other');
    });
    await expect(slow).rejects.toThrow('boom');
    expect(await second).toBe(2);
    await other;
    expect(order).toEqual(['other', 'first', 'second']);
  });
});
