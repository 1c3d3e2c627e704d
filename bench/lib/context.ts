import type { BenchServer } from './database.js';

export interface BenchContext {
  server: BenchServer;
  log(line: string): void;
  /** Epoch ms after which the running part cuts its loops short (the whole run must stay within a few minutes). */
  deadline: number;
}

export const pastDeadline = (ctx: BenchContext) => Date.now() > ctx.deadline;
