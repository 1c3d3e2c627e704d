import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { PrintState } from '../../protocol/hardware.js';

/**
 * One job as the agent remembers it. `started` is written (and synced) before any byte goes to the printer,
 * so after a crash the agent knows the job may be on paper and never prints it again.
 */
export interface LedgerEntry {
  uid: string;
  id: number;
  state: 'started' | 'printed' | 'failed';
  /** The outcome's printer state (null while started). */
  printState: PrintState | null;
  message: string;
  /** The hub confirmed it recorded the outcome. */
  acked: boolean;
  at: string;
}

const KEEP = 2000;

/**
 * The agent's file of the jobs it handled (JSON lines, one entry per change, synced to disk), keyed by
 * the job's uid. Compacted to the last 2000 jobs when it opens.
 */
export class PrintLedger {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, LedgerEntry>,
    private handle: FileHandle,
  ) {}

  static async open(file: string): Promise<PrintLedger> {
    await mkdir(path.dirname(file), { recursive: true });
    const entries = new Map<string, LedgerEntry>();
    let lines = 0;
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      if ((err as { code?: string }).code === 'ENOENT') return '';
      throw err;
    });
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      lines++;
      try {
        const e = JSON.parse(line) as LedgerEntry;
        if (typeof e.uid === 'string' && typeof e.id === 'number') {
          entries.delete(e.uid);
          entries.set(e.uid, e);
        }
      } catch {
        // a line cut short by a crash: the entries before it stand
      }
    }
    if (entries.size > KEEP || lines > 2 * Math.max(entries.size, KEEP / 2)) {
      const kept = [...entries.values()].slice(-KEEP);
      entries.clear();
      for (const e of kept) entries.set(e.uid, e);
      const tmp = `${file}.tmp`;
      const h = await open(tmp, 'w');
      await h.writeFile(kept.map((e) => JSON.stringify(e)).join('\n') + (kept.length ? '\n' : ''));
      await h.sync();
      await h.close();
      await rename(tmp, file);
    }
    const handle = await open(file, 'a');
    // A crash can leave the last line unfinished: start the next entry on a line of its own.
    if (text && !text.endsWith('\n') && entries.size <= KEEP) await handle.appendFile('\n');
    return new PrintLedger(file, entries, handle);
  }

  get(uid: string): LedgerEntry | undefined {
    return this.entries.get(uid);
  }

  /** Outcomes the hub has not confirmed yet, oldest first. */
  unacked(): LedgerEntry[] {
    return [...this.entries.values()].filter((e) => e.state !== 'started' && !e.acked);
  }

  /** Writes the entry and syncs it to disk before resolving. */
  record(entry: LedgerEntry): Promise<void> {
    this.entries.delete(entry.uid);
    this.entries.set(entry.uid, entry);
    const write = this.writes.then(async () => {
      await this.handle.appendFile(`${JSON.stringify(entry)}\n`);
      await this.handle.datasync();
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.writes;
    await this.handle.close().catch(() => undefined);
  }

  get path(): string {
    return this.file;
  }
}
