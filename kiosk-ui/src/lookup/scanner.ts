/**
 * Keyboard-wedge barcode scanners type the code as fast keystrokes ending in Enter, into whatever page has
 * the focus. This detector tells such a burst from a person typing: at least `minLength` characters, on
 * average at most `maxAvgGapMs` apart, none more than `resetGapMs` apart, then Enter.
 */
export interface WedgeOptions {
  minLength: number;
  maxAvgGapMs: number;
  resetGapMs: number;
}

/** Scanners type a character every 2–30 ms; people, even fast typists, take well over 100 ms a key over a whole code. */
export const WEDGE_DEFAULTS: WedgeOptions = { minLength: 8, maxAvgGapMs: 100, resetGapMs: 1000 };

export class WedgeDetector {
  private chars: string[] = [];
  private first = 0;
  private last = 0;

  constructor(private readonly opts: WedgeOptions = WEDGE_DEFAULTS) {}

  /** Feeds one key (KeyboardEvent.key) at time `at` (ms); returns the scanned code on the Enter ending a burst. */
  feed(key: string, at: number): string | null {
    if (key === 'Enter') {
      const n = this.chars.length;
      const avg = n > 1 ? (this.last - this.first) / (n - 1) : Infinity;
      const code = this.chars.join('');
      this.reset();
      return n >= this.opts.minLength && avg <= this.opts.maxAvgGapMs ? code : null;
    }
    if (key.length !== 1) return null; // Shift, Control…: scanners press Shift for capitals
    if (this.chars.length && at - this.last > this.opts.resetGapMs) this.reset();
    if (!this.chars.length) this.first = at;
    this.chars.push(key);
    this.last = at;
    if (this.chars.length > 200) this.reset();
    return null;
  }

  reset(): void {
    this.chars = [];
    this.first = 0;
    this.last = 0;
  }
}
