import { describe, expect, it } from 'vitest';
import { LatestRequest } from '../../../../renderer/src/lib/latest-request';

describe('LatestRequest', () => {
  it('keeps only the newest request current', () => {
    const latest = new LatestRequest();
    const first = latest.begin();
    expect(first()).toBe(true);
    const second = latest.begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it('makes every begun request stale on invalidate', () => {
    const latest = new LatestRequest();
    const request = latest.begin();
    latest.invalidate();
    expect(request()).toBe(false);
    expect(latest.begin()()).toBe(true);
  });
});
