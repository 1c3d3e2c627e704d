import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHub, hubDir, hubNodeFlags } from '../../server/build.mjs';
import { isEvent, isReply, type ChildEvent, type Reply } from './messages.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Hub entries bundled in this bench run (the province part starts two hubs from one bundle). */
const bundled = new Set<string>();

/**
 * A TypeScript child process (node --import tsx, so no extra wrapper process) spoken to over IPC:
 * `request` sends a command and resolves with its reply; unasked events go to `onEvent` listeners.
 */
export class Child<C extends { cmd: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: ChildEvent) => void>();
  private exited = false;
  readonly exit: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    proc.on('message', (m: unknown) => {
      if (isReply(m)) return this.settle(m);
      if (isEvent(m)) for (const l of this.listeners) l(m);
    });
    this.exit = new Promise((resolve) => {
      proc.once('exit', (code) => {
        this.exited = true;
        for (const p of this.pending.values()) p.reject(new Error(`${name} exited (code ${code ?? 'signal'}) before answering`));
        this.pending.clear();
        resolve(code);
      });
    });
  }

  /** Starts `script` (relative to the repository root): a `.ts` one with tsx's loader, a `.js` one as it is. */
  static start<C extends { cmd: string }>(name: string, script: string, env: Record<string, string> = {}, execArgv: string[] = []): Child<C> {
    const proc = fork(path.join(repoRoot, script), [], {
      cwd: repoRoot,
      execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...execArgv],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child<C>(name, proc);
  }

  /**
   * Starts a hub entry (bench/hub-process.ts, bench/province/hub.ts) bundled the way `npm start` bundles
   * server/main.ts, so its memory and speed are those of the hub as it runs in a hall (no TypeScript loader).
   */
  static async startHub<C extends { cmd: string }>(name: string, source: string, env: Record<string, string> = {}, execArgv: string[] = []): Promise<Child<C>> {
    const entry = `bench-${path.basename(path.dirname(source))}-${path.basename(source, '.ts')}`;
    if (!bundled.has(entry)) {
      await buildHub({ [entry]: source });
      bundled.add(entry);
    }
    return Child.start<C>(name, path.relative(repoRoot, path.join(hubDir, `${entry}.js`)), env, [...hubNodeFlags, ...execArgv]);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`${this.name}: ${m.error}`));
  }

  onEvent(listener: (e: ChildEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the first event that matches, or rejects after `ms`. */
  waitEvent<E extends ChildEvent>(match: (e: ChildEvent) => e is E, ms: number): Promise<E> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.name}: no event within ${ms} ms`));
      }, ms);
      const off = this.onEvent((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
      void this.exit.then(() => {
        clearTimeout(timer);
        off();
        reject(new Error(`${this.name} exited`));
      });
    });
  }

  request<R>(command: C, timeoutMs = 120_000): Promise<R> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: "${command.cmd}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as R);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ ...command, id });
    });
  }

  /** Asks politely (IPC disconnect makes the children exit), then SIGKILLs this child's pid after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    if (this.proc.connected) this.proc.disconnect();
    const timer = setTimeout(() => {
      if (!this.exited) this.proc.kill('SIGKILL');
    }, graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}
