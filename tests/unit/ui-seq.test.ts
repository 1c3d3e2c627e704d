import { afterEach, describe, expect, it, vi } from 'vitest';
import { SeqTracker } from '../../ui-kit/seq.js';

describe('ui-kit SeqTracker: a gap in the numbered calls asks for a snapshot', () => {
  afterEach(() => void vi.useRealTimers());

  it('asks once for a gap that is not filled within the grace time', () => {
    vi.useFakeTimers();
    let asked = 0;
    const t = new SeqTracker(() => void asked++, 1000);
    t.see({ origin: 'a', n: 7 }); // first sight of hub a: where it stands
    t.see({ origin: 'a', n: 8 });
    t.see({ origin: 'b', n: 1 });
    t.see({ origin: 'a', n: 11 }); // 9 and 10 missing
    expect(t.pending).toBe(2);
    vi.advanceTimersByTime(999);
    expect(asked).toBe(0);
    vi.advanceTimersByTime(1);
    expect(asked).toBe(1);
    expect(t.pending).toBe(0);
    t.see({ origin: 'a', n: 12 });
    vi.advanceTimersByTime(5000);
    expect(asked).toBe(1);
  });

  it('does not ask when the missing ones arrive late, or when a snapshot came meanwhile', () => {
    vi.useFakeTimers();
    let asked = 0;
    const t = new SeqTracker(() => void asked++, 1000);
    t.see({ origin: 'a', n: 1 });
    t.see({ origin: 'a', n: 3 });
    t.see({ origin: 'a', n: 2 });
    vi.advanceTimersByTime(2000);
    expect(asked).toBe(0);
    t.see({ origin: 'a', n: 6 });
    t.reset();
    vi.advanceTimersByTime(2000);
    expect(asked).toBe(0);
  });
});
