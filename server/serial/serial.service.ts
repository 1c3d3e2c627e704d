import type { SerialBinding } from '../../hardware/serial/binding.js';
import { CallingKeypad, type KeypadCommand } from '../../hardware/serial/keypad.js';
import { asciiFraming, SerialLedDisplay, stxFraming } from '../../hardware/serial/led.js';
import { SerialLink, type SerialStatus } from '../../hardware/serial/link.js';
import type { Db } from '../db/pool.js';
import type { HubEvents } from '../events.js';
import { HubError } from '../errors.js';
import type { CallEvent, Counter } from '../../protocol/index.js';
import type { SerialConfig } from './serial.config.js';
import * as repo from './serial.repo.js';

type Actor = { hallId: number; userId: number };

/** The counter actions a keypad performs (QueueService's, as the staff member at that counter). */
export interface CounterActions {
  next(actor: Actor, counterId: number): Promise<unknown>;
  recall(actor: Actor, counterId: number): Promise<unknown>;
  noShow(actor: Actor, counterId: number, requeue: boolean): Promise<unknown>;
  done(actor: Actor, counterId: number): Promise<unknown>;
}

interface SerialLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SerialHardwareDeps {
  config: SerialConfig;
  db: Db;
  queue: CounterActions;
  log: SerialLog;
  report(health: HubEvents['driver.health']): void;
  /** Records a keypad's counter action in the audit log. */
  audit?(entry: { hallId: number; counterNumber: number; command: KeypadCommand; userId: number; ok: boolean }): void;
  /** The serialport binding (default: the OS binding). */
  binding?: SerialBinding;
}

interface Display {
  counterNumber: number;
  display: SerialLedDisplay;
  link: SerialLink;
}

/**
 * The hub's own serial hardware for one hall: LED counter displays follow calls (blink on recall, blank when the
 * counter closes); calling keypads perform counter actions as the staff member who has that counter open.
 * Unplugged devices are reported (health) and reopened in the background; nothing here can stop the hub.
 */
export class SerialHardware {
  private hallId: number | null = null;
  private readonly links = new Map<string, SerialLink>();
  private readonly displays: Display[] = [];
  private readonly keypads: { counterNumber: number; keypad: CallingKeypad }[] = [];
  private readonly actions = new Map<number, Promise<void>>();

  constructor(private readonly deps: SerialHardwareDeps) {}

  get enabled(): boolean {
    return this.deps.config.ledDisplays.length > 0 || this.deps.config.keypads.length > 0;
  }

  async start(): Promise<void> {
    const { config, log } = this.deps;
    if (!this.enabled) return;
    await this.resolveHall();
    const framing = config.ledFraming === 'ascii' ? asciiFraming() : stxFraming;
    for (const d of config.ledDisplays) {
      let link = this.links.get(d.path);
      if (!link) {
        link = new SerialLink({ path: d.path, baudRate: config.ledBaudRate, binding: this.deps.binding, retryMs: config.serialRetryMs });
        this.links.set(d.path, link);
      }
      const display = new SerialLedDisplay({ link, address: d.address, framing, width: config.ledWidth });
      this.displays.push({ counterNumber: d.counterNumber, display, link });
      link.on('status', (status) => this.onStatus('led', d.counterNumber, d.path, status));
    }
    for (const k of config.keypads) {
      const keypad = new CallingKeypad({ path: k.path, baudRate: config.keypadBaudRate, binding: this.deps.binding, protocol: config.keypadProtocol, debounceMs: config.keypadDebounceMs, retryMs: config.serialRetryMs });
      keypad.on('status', (status) => this.onStatus('keypad', k.counterNumber, k.path, status));
      keypad.on('command', (command) => void this.perform(k.counterNumber, command));
      this.keypads.push({ counterNumber: k.counterNumber, keypad });
    }
    await Promise.all([...[...this.links.values()].map((l) => l.open()), ...this.keypads.map((k) => k.keypad.open())]);
    for (const d of this.displays) if (!d.link.connected) this.onStatus('led', d.counterNumber, d.link.path, d.link.status);
    for (const k of this.keypads) if (!k.keypad.connected) this.onStatus('keypad', k.counterNumber, k.keypad.path, { connected: false, error: `cannot open ${k.keypad.path}` });
    await this.showCurrent().catch((err: unknown) => log.warn({ err }, 'LED displays: could not load the counters'));
    log.info({ displays: config.ledDisplays.length, keypads: config.keypads.length, hallId: this.hallId }, 'serial hardware started');
  }

  async stop(): Promise<void> {
    await Promise.all(this.displays.map((d) => d.display.close()));
    await Promise.all([...[...this.links.values()].map((l) => l.close()), ...this.keypads.map((k) => k.keypad.close())]);
    await Promise.all(this.actions.values());
  }

  /** A call or recall: the counter's display shows the number (blinking on a recall). */
  async onCalled(hallId: number, call: CallEvent): Promise<void> {
    if (!(await this.isMyHall(hallId))) return;
    for (const d of this.displays) {
      if (d.counterNumber !== call.counterNumber) continue;
      await d.display.show(call.number, { blink: call.recall }).catch((err: unknown) => this.writeFailed(d, err));
    }
  }

  /** A counter closed: its display goes blank. */
  async onCounterChanged(hallId: number, counter: Counter): Promise<void> {
    if (counter.status !== 'closed' || !(await this.isMyHall(hallId))) return;
    for (const d of this.displays) {
      if (d.counterNumber !== counter.number) continue;
      await d.display.clear().catch((err: unknown) => this.writeFailed(d, err));
    }
  }

  /** Runs a keypad command as the counter's staff member; one at a time per counter. */
  perform(counterNumber: number, command: KeypadCommand): Promise<void> {
    const previous = this.actions.get(counterNumber) ?? Promise.resolve();
    const run = previous.then(() => this.act(counterNumber, command));
    this.actions.set(counterNumber, run);
    void run.then(() => {
      if (this.actions.get(counterNumber) === run) this.actions.delete(counterNumber);
    });
    return run;
  }

  private async act(counterNumber: number, command: KeypadCommand): Promise<void> {
    const { log, queue } = this.deps;
    try {
      const hallId = await this.resolveHall();
      if (hallId === null) return log.warn({ counterNumber, command }, 'keypad: no hall to act in, press ignored');
      const [counter] = await repo.countersByNumber(this.deps.db, hallId, [counterNumber]);
      if (!counter) return log.warn({ counterNumber, command }, 'keypad: no such counter in the hall, press ignored');
      if (counter.status === 'closed' || counter.staff_id === null) {
        return log.info({ counterNumber, command }, 'keypad: nobody has this counter open, press ignored');
      }
      const actor = { hallId, userId: counter.staff_id };
      switch (command) {
        case 'next':
          await queue.next(actor, counter.id);
          break;
        case 'recall':
          await queue.recall(actor, counter.id);
          break;
        case 'no-show':
          await queue.noShow(actor, counter.id, false);
          break;
        case 'done':
          await queue.done(actor, counter.id);
          break;
      }
      log.info({ counterNumber, command }, 'keypad: counter action done');
      this.deps.audit?.({ hallId, counterNumber, command, userId: counter.staff_id, ok: true });
    } catch (err) {
      if (err instanceof HubError) log.warn({ counterNumber, command, code: err.code, reason: err.message }, 'keypad: counter action refused');
      else log.error({ err, counterNumber, command }, 'keypad: counter action failed');
    }
  }

  private async showCurrent(): Promise<void> {
    const hallId = this.hallId;
    if (hallId === null || !this.displays.length) return;
    const counters = await repo.countersByNumber(this.deps.db, hallId, [...new Set(this.displays.map((d) => d.counterNumber))]);
    for (const d of this.displays) {
      const c = counters.find((x) => x.number === d.counterNumber);
      if (!c) {
        this.deps.log.warn({ counterNumber: d.counterNumber }, 'LED display configured for a counter the hall does not have');
        continue;
      }
      if (!d.link.connected) continue;
      const write = c.status !== 'closed' && c.current_number ? d.display.show(c.current_number) : d.display.clear();
      await write.catch((err: unknown) => this.writeFailed(d, err));
    }
  }

  private async isMyHall(hallId: number): Promise<boolean> {
    return (await this.resolveHall()) === hallId;
  }

  private async resolveHall(): Promise<number | null> {
    if (this.hallId !== null) return this.hallId;
    const code = this.deps.config.hardwareHall;
    this.hallId = code ? await repo.hallIdByCode(this.deps.db, code) : await repo.firstHallId(this.deps.db);
    if (this.hallId === null && code) this.deps.log.warn({ hall: code }, 'HARDWARE_HALL names no hall: serial devices wait for it');
    return this.hallId;
  }

  private writeFailed(d: Display, err: unknown): void {
    this.deps.log.warn({ counterNumber: d.counterNumber, path: d.link.path, reason: err instanceof Error ? err.message : String(err) }, 'LED display not updated');
  }

  private onStatus(kind: 'led' | 'keypad', counterNumber: number, path: string, status: SerialStatus): void {
    if (status.connected && status.error) {
      this.deps.log.warn({ kind, counterNumber, path, reason: status.error }, `${kind === 'led' ? 'LED display' : 'keypad'} input rejected`);
      return;
    }
    if (status.connected) this.deps.log.info({ kind, counterNumber, path }, `${kind === 'led' ? 'LED display' : 'keypad'} connected`);
    else this.deps.log.warn({ kind, counterNumber, path, reason: status.error }, `${kind === 'led' ? 'LED display' : 'keypad'} not connected: retrying`);
    if (this.hallId === null) return;
    this.deps.report({
      hallId: this.hallId,
      driver: `${kind}:${counterNumber}`,
      kind,
      path,
      counterNumber,
      online: status.connected,
      faults: status.connected ? [] : [{ code: 'serial_port', message: status.error ?? `${path} is not connected` }],
    });
  }
}
