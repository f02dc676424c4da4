import { describe, expect, it } from 'vitest';
import { OrderedWindow } from '../../../../../main/engine/onnx/ordered-window';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OrderedWindow', () => {
  it('consumes results in start order when jobs finish out of order, with at most `depth` open', async () => {
    const consumed: number[] = [];
    const finished: number[] = [];
    let running = 0;
    let mostRunning = 0;
    const window = new OrderedWindow<number>(async (value) => {
      await sleep(1);
      consumed.push(value);
    }, 3);
    for (let i = 0; i < 12; i++) {
      await window.push(async () => {
        running++;
        mostRunning = Math.max(mostRunning, running);
        await sleep(((12 - i) % 4) * 8); // later jobs in a group of 4 finish first
        running--;
        finished.push(i);
        return i;
      });
      expect(window.size).toBeLessThanOrEqual(3);
    }
    await window.drain();
    expect(consumed).toEqual([...Array(12).keys()]);
    expect(finished).not.toEqual(consumed); // they really did finish out of order
    expect(mostRunning).toBe(3);
    expect(window.size).toBe(0);
  });

  it('stops at the first failure: later pushes and drain throw it, later results are not consumed', async () => {
    const consumed: number[] = [];
    const started: number[] = [];
    const window = new OrderedWindow<number>((value) => void consumed.push(value), 2);
    const job = (i: number) => async () => {
      started.push(i);
      await sleep(5);
      if (i === 1) throw new Error('batch 1 failed');
      return i;
    };
    await window.push(job(0));
    await window.push(job(1));
    await window.push(job(2)); // the window was full: waited for 0 to be consumed; 1 has not failed yet
    await expect(window.drain()).rejects.toThrow('batch 1 failed');
    await expect(window.push(job(3))).rejects.toThrow('batch 1 failed');
    expect(consumed).toEqual([0]); // 2 finished fine but comes after the failure
    expect(started).toEqual([0, 1, 2]);
  });

  it('settle waits for every started job without throwing, so nothing runs after a cancel', async () => {
    let open = 0;
    const window = new OrderedWindow<number>(async () => {
      await sleep(3);
      open--;
    }, 2);
    for (let i = 0; i < 2; i++)
      await window.push(async () => {
        open++;
        await sleep(20);
        if (i === 1) throw new Error('late failure');
        return i;
      });
    expect(open).toBe(2);
    await window.settle();
    expect(window.size).toBe(0);
    expect(open).toBe(1); // job 0 consumed; job 1 failed and was not
    expect(() => new OrderedWindow(() => undefined, 0)).toThrow(/received 0/);
  });
});
