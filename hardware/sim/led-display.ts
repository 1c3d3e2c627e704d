/**
 * A simulated RS-485 LED counter display on a socat pty pair: reads what the hub sends and logs each frame.
 *
 *     node_modules/.bin/tsx hardware/sim/led-display.ts [--dir /tmp/hallhub-led] [--framing stx|ascii]
 *
 * prints the port to configure (LED_DISPLAYS=1:<port>:1,2:<port>:2 …). In tests, `SimLedDisplay` records frames.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SerialBinding } from '../serial/binding.js';
import { decodeStxFrames, type LedCommand } from '../serial/led.js';
import { SerialLink } from '../serial/link.js';
import { PtyPair } from './serial-pty.js';

export interface SimLedDisplay {
  on(event: 'frame', listener: (frame: LedCommand) => void): this;
  off(event: 'frame', listener: (frame: LedCommand) => void): this;
  emit(event: 'frame', frame: LedCommand): boolean;
}

/** The display end of a serial line: decodes frames (STX or plain ASCII lines) and keeps what each address shows. */
export class SimLedDisplay extends EventEmitter {
  readonly link: SerialLink;
  readonly frames: LedCommand[] = [];
  /** What each address shows now ('' when blank). */
  readonly showing = new Map<number, { text: string; blinking: boolean }>();
  garbage = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(opts: { path: string; binding?: SerialBinding; framing?: 'stx' | 'ascii'; retryMs?: number }) {
    super();
    const framing = opts.framing ?? 'stx';
    this.link = new SerialLink({ path: opts.path, binding: opts.binding, retryMs: opts.retryMs ?? 200 });
    this.link.on('data', (chunk) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (framing === 'stx') {
        const { frames, rest, garbage } = decodeStxFrames(this.pending);
        this.pending = rest;
        this.garbage += garbage;
        for (const f of frames) this.record(f);
      } else {
        const lines = this.pending.toString('latin1').split(/\r\n|\n/);
        this.pending = Buffer.from(lines.pop() ?? '', 'latin1');
        for (const text of lines) this.record({ address: 1, action: text ? 'show' : 'clear', text });
      }
    });
  }

  async open(): Promise<void> {
    await this.link.open();
  }

  /** Resolves once the display end is (again) connected. */
  connected(): Promise<void> {
    if (this.link.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const on = (s: { connected: boolean }) => {
        if (!s.connected) return;
        this.link.off('status', on);
        resolve();
      };
      this.link.on('status', on);
    });
  }

  /** Resolves with the first frame (received after the first `after` frames, or still to come) that matches. */
  waitFor(match: (frame: LedCommand) => boolean, opts: { after?: number; timeoutMs?: number } = {}): Promise<LedCommand> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const seen = this.frames.slice(opts.after ?? 0).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('frame', on);
        reject(new Error(`no matching LED frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      const on = (frame: LedCommand) => {
        if (!match(frame)) return;
        clearTimeout(timer);
        this.off('frame', on);
        resolve(frame);
      };
      this.on('frame', on);
    });
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private record(frame: LedCommand): void {
    this.frames.push(frame);
    this.showing.set(frame.address, { text: frame.action === 'clear' ? '' : frame.text, blinking: frame.action === 'blink' });
    this.emit('frame', frame);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = opt('dir') ?? '/tmp/hallhub-led';
  const framing = opt('framing') === 'ascii' ? 'ascii' : 'stx';
  mkdirSync(dir, { recursive: true });
  const pair = new PtyPair(path.join(dir, 'device'), path.join(dir, 'led'));
  await pair.start();
  const sim = new SimLedDisplay({ path: pair.device, framing });
  sim.on('frame', (f) => {
    const what = f.action === 'clear' ? '(blank)' : `${f.text}${f.action === 'blink' ? '  (blinking)' : ''}`;
    process.stdout.write(`${new Date().toISOString()}  display ${String(f.address).padStart(2, '0')}: ${what}\n`);
  });
  await sim.open();
  process.stdout.write(`Simulated LED display bus ready (${framing}). Configure the hub with: LED_DISPLAYS=1:${pair.host}:1  (LED_FRAMING=${framing})\n`);
  const stop = async () => {
    await sim.close();
    await pair.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
