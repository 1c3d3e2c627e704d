import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FakePrinterOptions } from './printer-server.js';

/** What the worker says to the thread that started it. */
export type SimThreadMessage = { type: 'ready'; port: number } | { type: 'closed' } | { type: 'failed'; message: string };

/**
 * Code that starts a worker on `entry`. Run from TypeScript sources (tsx, vitest), the worker first
 * registers tsx's loader for itself: a worker does not inherit the parent thread's loader hooks.
 */
function bootstrap(entry: URL): string {
  if (!entry.pathname.endsWith('.ts')) return `import(${JSON.stringify(entry.href)});`;
  // tsx/esm/api's `import` entry sits next to the `require` one that createRequire finds.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
}

/**
 * A fake TCP printer (`FakeEscPosPrinter`) running in its own worker thread: the hub's `sim` printer.
 * It answers status queries, decodes every job and renders/saves its PNG + text off the hub's event
 * loop; the hub prints to it over TCP like to any network printer.
 */
export class SimPrinterThread {
  private constructor(
    private readonly worker: Worker,
    readonly port: number,
    private readonly closed: Promise<void>,
  ) {}

  static async start(options: FakePrinterOptions): Promise<SimPrinterThread> {
    const own = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const entry = new URL(`./printer-worker${own}`, import.meta.url);
    const worker = new Worker(bootstrap(entry), { eval: true, workerData: { options } });
    worker.unref();
    let onClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    worker.once('exit', () => onClosed());
    const port = await new Promise<number>((resolve, reject) => {
      const fail = (err: Error) => {
        reject(err);
        void worker.terminate();
      };
      worker.on('message', (m: SimThreadMessage) => {
        if (m.type === 'ready') resolve(m.port);
        else if (m.type === 'failed') fail(new Error(`sim printer: ${m.message}`));
        else if (m.type === 'closed') onClosed();
      });
      worker.once('error', fail);
      worker.once('exit', (code) => reject(new Error(`sim printer thread exited (${code}) before it started`)));
    });
    worker.on('error', () => undefined);
    return new SimPrinterThread(worker, port, closed);
  }

  /** Stops the fake printer (waiting for its pending file writes) and ends the thread. */
  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([this.closed, timeout]);
    await this.worker.terminate();
  }
}
