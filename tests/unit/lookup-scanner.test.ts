import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../kiosk-ui/src/lookup/scanner.js';

/** Feeds keys `gap` ms apart from `start`; returns what the detector reported. */
function feed(d: WedgeDetector, keys: string[], gap: number, start = 1000): (string | null)[] {
  return keys.map((k, i) => d.feed(k, start + i * gap));
}
const CODE = '000.00.12.H40-261122-0001';

describe('keyboard-wedge scanner detection', () => {
  it('reads a fast burst ending in Enter as a scan', () => {
    const d = new WedgeDetector();
    const out = feed(d, [...CODE, 'Enter'], 8);
    expect(out.slice(0, -1).every((x) => x === null)).toBe(true);
    expect(out.at(-1)).toBe(CODE);
    // Shift (capital letters) and other named keys do not count as characters.
    expect(feed(d, ['Shift', ...CODE, 'Shift', 'Enter'], 5).at(-1)).toBe(CODE);
  });

  it('ignores a person typing, short bursts and Enter alone', () => {
    const d = new WedgeDetector();
    expect(feed(d, [...CODE, 'Enter'], 180).at(-1)).toBeNull();
    expect(feed(d, [...'1234', 'Enter'], 5).at(-1)).toBeNull();
    expect(d.feed('Enter', 0)).toBeNull();
  });

  it('starts afresh after a pause, so stray keys before a scan do not stick to it', () => {
    const d = new WedgeDetector();
    feed(d, [...'xyz'], 10, 0);
    expect(feed(d, [...CODE, 'Enter'], 10, 5000).at(-1)).toBe(CODE);
  });

  it('tolerates a stalled keystroke in a scan (a loaded kiosk PC)', () => {
    const d = new WedgeDetector();
    const keys = [...CODE, 'Enter'];
    const out = keys.map((k, i) => d.feed(k, 1000 + i * 5 + (i > 10 ? 300 : 0)));
    expect(out.at(-1)).toBe(CODE);
  });
});
