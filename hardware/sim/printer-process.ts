import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FakePrinterOptions } from './printer-server.js';

/**
 * What the sim printer's process tells the process that started it (over the IPC channel).
 * `ready` carries the TCP port it listens on; `failed` ends the process before it listened;
 * `closed` answers a `close` command once its pending file writes are done.
 */
export type SimPrinterMessage = { type: 'ready'; port: number } | { type: 'closed' } | { type: 'failed'; message: string };

/** What the starting process sends: `close` stops the fake printer, which then exits. */
export type SimPrinterCommand = { type: 'close' };

/** The options travel to the child in this environment variable (JSON). */
export const SIM_PRINTER_OPTIONS_ENV = 'HALLHUB_SIM_PRINTER_OPTIONS';

/**
 * A fake TCP printer (`FakeEscPosPrinter`) in a child process of its own: the hub's `sim` printer. It answers
 * status queries, decodes every job and renders/saves its PNG + text; the hub prints to it over TCP like to any
 * network printer. A process rather than a thread, so its decoder, canvas and fonts are not counted in the hub's
 * memory (they are not the hub's: in a hall the printer is a device), and it ends when the hub does (the IPC
 * channel closes, even on SIGKILL).
 */
export class SimPrinterProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly exited: Promise<void>,
  ) {}

  static async start(options: FakePrinterOptions): Promise<SimPrinterProcess> {
    // From the bundle (dist/hub) the entry is printer-child.js beside it; from the sources, tsx loads the .ts.
    const fromSources = import.meta.url.endsWith('.ts');
    const entry = fileURLToPath(new URL(fromSources ? './printer-child.ts' : './printer-child.js', import.meta.url));
    const execArgv = fromSources ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx').replace(/\.cjs$/, '.mjs')).href] : [];
    const child = fork(entry, [], {
      execArgv,
      env: { ...process.env, [SIM_PRINTER_OPTIONS_ENV]: JSON.stringify(options), NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
      const fail = (err: Error) => {
        reject(err);
        child.kill('SIGKILL');
      };
      child.on('message', (m: SimPrinterMessage) => {
        if (m.type === 'ready') resolve(m.port);
        else if (m.type === 'failed') fail(new Error(`sim printer: ${m.message}`));
      });
      child.once('error', fail);
      child.once('exit', (code, signal) => reject(new Error(`sim printer process exited (${code ?? signal}) before it started`)));
    });
    child.on('error', () => undefined);
    // The hub does not wait for its simulator to exit.
    child.unref();
    child.channel?.unref();
    return new SimPrinterProcess(child, port, exited);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Stops the fake printer (waiting up to 5 s for its pending file writes) and ends the process. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: 'close' } satisfies SimPrinterCommand, () => undefined);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([this.exited, timeout]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
