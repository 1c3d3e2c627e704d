/**
 * Gap detection on the hall's realtime messages. Every `call` carries `seq: {origin, n}`: consecutive numbers per
 * hall and hub process (`origin`). A screen that sees n jump past last+1 waited for a message it never got (a hub
 * lost its link to the others, a broadcast was dropped): unless the missing ones arrive within `graceMs` (they may
 * only be late), `onGap` asks the hub for a fresh snapshot.
 */
export class SeqTracker {
  private readonly last = new Map<string, number>();
  private readonly missing = new Map<string, Set<number>>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onGap: () => void,
    private readonly graceMs = 1000,
  ) {}

  /** Notes one message; the first one of an origin only sets where it stands. */
  see(seq: { origin: string; n: number }): void {
    const last = this.last.get(seq.origin);
    const missing = this.missing.get(seq.origin);
    if (last === undefined) {
      this.last.set(seq.origin, seq.n);
      return;
    }
    if (seq.n <= last) {
      missing?.delete(seq.n);
      return;
    }
    if (seq.n > last + 1) {
      const set = missing ?? new Set<number>();
      for (let k = last + 1; k < seq.n && set.size < 1000; k++) set.add(k);
      this.missing.set(seq.origin, set);
      this.arm();
    }
    this.last.set(seq.origin, seq.n);
  }

  /** A snapshot arrived: nothing before it is missing any more. */
  reset(): void {
    this.missing.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get pending(): number {
    let n = 0;
    for (const s of this.missing.values()) n += s.size;
    return n;
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending > 0) {
        this.missing.clear();
        this.onGap();
      }
    }, this.graceMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
