import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';

/**
 * A real pseudo-terminal pair made by socat, for simulators and end-to-end tests of serial drivers:
 * whatever is written to one end comes out of the other, through the kernel's tty layer, like a null-modem cable.
 *
 *     socat -d -d pty,raw,echo=0,link=<device> pty,raw,echo=0,link=<host>
 *
 * The driver under test opens `host`; the simulated device opens `device`. `stop()` is an unplug (both ends
 * vanish, open ports get read errors); `start()` again on the same links is a replug.
 */
export class PtyPair {
  private child: ChildProcess | null = null;

  constructor(
    /** The simulated device's end. */
    readonly device: string,
    /** The end the driver opens (its "/dev/ttyUSB0"). */
    readonly host: string,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  private renamedHost = false;

  /**
   * Starts socat and resolves once both links exist and it is moving data. With `beforeHost`, the host link
   * appears only after it resolves (e.g. once the simulated device has opened its end: bytes written to a pty
   * whose other end nobody has open are lost, so a test can make the device come up first).
   */
  async start(opts: { timeoutMs?: number; beforeHost?: () => Promise<void> } = {}): Promise<void> {
    if (this.child) return;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const hostLink = opts.beforeHost ? `${this.host}.starting` : this.host;
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.device}`, `pty,raw,echo=0,link=${hostLink}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`socat did not start within ${timeoutMs} ms: ${log.slice(-500)}`)), timeoutMs);
      const onExit = (code: number | null) => fail(new Error(`socat exited with ${code}: ${log.slice(-500)}`));
      const onData = (d: string) => {
        log += d;
        if (log.includes('starting data transfer loop') && existsSync(this.device) && existsSync(hostLink)) {
          clearTimeout(timer);
          child.off('exit', onExit);
          child.stderr?.off('data', onData);
          child.stderr?.resume();
          resolve();
        }
      };
      const fail = (err: Error) => {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        this.child = null;
        child.kill('SIGKILL');
        reject(err);
      };
      child.once('error', (err) => fail(new Error(`socat could not start (is socat installed?): ${err.message}`)));
      child.once('exit', onExit);
      child.stderr?.setEncoding('utf8').on('data', onData);
    });
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    if (opts.beforeHost) {
      await opts.beforeHost();
      await rename(hostLink, this.host);
      this.renamedHost = true;
    }
  }

  /** Stops socat (an unplug): resolves once it has exited and removed its links. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    // socat removes the links it made; a renamed host link is ours to remove.
    if (this.renamedHost) await rm(this.host, { force: true });
    this.renamedHost = false;
  }
}
