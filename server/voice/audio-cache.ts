import { createHash } from 'node:crypto';

/**
 * Rendered announcements by key (text + voice + rate), bounded by total bytes, least recently used out first.
 * Holds the render in flight too, so the call listener and the displays' requests share one render.
 * Renders run at most `concurrency` at a time (each is a child process).
 */
export class AudioCache {
  private readonly entries = new Map<string, { audio: Promise<Buffer>; bytes: number }>();
  private bytes = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly concurrency = 2,
  ) {}

  static key(parts: (string | number)[]): string {
    return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
  }

  /** The cached audio for `key`, or `render()`'s result (cached once it resolves; a failure is not cached). */
  get(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.audio;
    }
    this.misses++;
    const audio = this.limited(render);
    const entry = { audio, bytes: 0 };
    this.entries.set(key, entry);
    audio.then(
      (buf) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = buf.length;
        this.bytes += buf.length;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return audio;
  }

  /** Renders running or waiting for a slot. */
  get pending(): number {
    return this.running + this.waiting.length;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (entry.bytes === 0) continue; // still rendering
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }

  private async limited(render: () => Promise<Buffer>): Promise<Buffer> {
    // A finishing render hands its slot straight to the next waiter, so the limit holds.
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await render();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
