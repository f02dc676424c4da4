import { describe, expect, it } from 'vitest';
import { csvField, mapCsv } from '../../../main/engine/insight/map-csv';

describe('mapCsv', () => {
  it('writes path,label,x,y rows, quoting fields that need it', () => {
    const images = [
      { path: '/data/cats/a.png', label: 'cats', split: 'train' as const, hash: 'h1' },
      { path: '/data/my "best", cats/b\nc.png', label: ' odd', split: 'test' as const, hash: 'h2' },
    ];
    const csv = mapCsv({ images, map: { seed: 1, x: [0.5, -1.25], y: [2, 3e-7] } });
    expect(csv).toBe(
      'path,label,x,y\r\n/data/cats/a.png,cats,0.5,2\r\n"/data/my ""best"", cats/b\nc.png"," odd",-1.25,3e-7\r\n',
    );
    expect(csvField('plain')).toBe('plain');
    expect(() => mapCsv({ images, map: null })).toThrow(/no map/);
  });
});
