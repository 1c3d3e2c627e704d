/**
 * Snapshot computations shared per hall and kind: while one is in flight, or for `reuseMs` after it finished,
 * every caller of the same hall and kind gets its answer, so a burst of `snapshot:get` or `board:subscribe`
 * costs about one computation. `invalidate(hallId)` (on every committed change of the hall) makes the next
 * caller compute afresh, so nobody is answered with a state older than a change they could have seen.
 */
export class SharedSnapshots {
  private readonly entries = new Map<string, { at: number | null; value: Promise<unknown> }>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly reuseMs = 250) {}

  get<T>(kind: string, hallId: number, compute: () => Promise<T>): Promise<T> {
    const key = `${kind}:${hallId}`;
    const entry = this.entries.get(key);
    if (entry && (entry.at === null || Date.now() - entry.at < this.reuseMs)) return entry.value as Promise<T>;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    const value = compute();
    const fresh = { at: null as number | null, value: value as Promise<unknown> };
    this.entries.set(key, fresh);
    value.then(
      () => {
        fresh.at = Date.now();
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    return value;
  }

  invalidate(hallId: number): void {
    for (const key of this.entries.keys()) if (key.endsWith(`:${hallId}`)) this.entries.delete(key);
  }

  /** How many computations of `kind` ran (for tests and benches). */
  computed(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }
}
