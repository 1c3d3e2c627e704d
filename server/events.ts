import type { CallEvent, Counter, QueueUpdate, TicketUpdate } from '../protocol/index.js';
import type { DeviceHealthEvent, DriverKind } from '../protocol/voice.js';
import type { DossierStatus } from '../protocol/dossiers.js';

/** Everything the hub announces after a commit. Listeners: realtime fan-out, voice, LED displays, printers. */
export interface HubEvents {
  /** `ahead` and `estimatedWaitMinutes` as computed in the issuing transaction (what the citizen is told). */
  'ticket.issued': {
    hallId: number;
    ticketId: number;
    serviceId: number;
    number: string;
    priority: boolean;
    deviceId: number | null;
    ahead: number;
    estimatedWaitMinutes: number | null;
    estimatedWaitRange?: { low: number; high: number } | null;
  };
  'ticket.changed': { hallId: number; update: TicketUpdate };
  'ticket.called': { hallId: number; call: CallEvent };
  /** `statusChanged`: the counter opened, paused or closed, or an admin changed it; false when only its current ticket changed. */
  'counter.changed': { hallId: number; counter: Counter; statusChanged: boolean };
  'queue.changed': { hallId: number; update: QueueUpdate };
  /** An admin changed the hall, a department, a service or a counter (committed). */
  'setup.changed': { hallId: number };
  /** Access ended (committed): a logout, a staff account's sessions revoked or its role changed, a device token revoked. Open sockets of it are cut. */
  'access.revoked': { hallId: number } & ({ userId: number } | { deviceId: number } | { sessionTokenHash: string });
  /** An admin renamed a device, paired it with another counter or changed its printer (committed): its sockets reconnect, print routing is read again. */
  'device.changed': { hallId: number; deviceId: number };
  /** A citizen rated a served ticket on the counter's tablet (committed). */
  'rating.recorded': { hallId: number; ratingId: number; ticketId: number; counterId: number; staffId: number; level: number };
  /** A dossier was received or changed status (committed): consoles and the board refresh. */
  'dossier.changed': { hallId: number; code: string; status: DossierStatus; counterId: number | null; at: string };
  /** A dossier was received at a counter: the printing feature prints its receipt on that counter's printer. */
  'dossier.received': {
    hallId: number;
    counterId: number | null;
    ticketId: number | null;
    receipt: {
      code: string;
      hallName: string;
      procedure: string;
      applicantName: string;
      receivedAt: string;
      dueAt: string;
      staffName: string;
      lookupUrl: string;
      /** The lookup key printed beside the code (in the barcode as CODE/KEY). */
      lookupKey: string | null;
    };
  };
  /** A printer failed a job or reports a problem (`printer_*` fault on `deviceId`): the board raises the printer alarm. */
  'printer.fault': { hallId: number; deviceId: number; printer: string | null; code: string; state: string; message: string; jobId: number | null };
  /** A printer that had a fault works again (its `printer_*` faults are cleared). */
  'printer.ok': { hallId: number; deviceId: number; printer: string | null };
  /** A hub-local driver (voice engine, LED display, keypad) reports its health for a hall it serves; the health feature stores it. */
  'driver.health': {
    hallId: number;
    driver: string;
    kind: DriverKind;
    path: string | null;
    counterNumber: number | null;
    online: boolean;
    faults: { code: string; message: string }[];
  };
  /** A device or driver went offline/online or its faults changed (reported once across hub processes): the live board shows it. */
  'device.health': DeviceHealthEvent;
}

export type HubEventName = keyof HubEvents;
type Listener<K extends HubEventName> = (payload: HubEvents[K]) => void | Promise<void>;
/** What a feature declares it does with bus events: event → handler. */
export type EventHandlers = { [K in HubEventName]?: Listener<K> };

interface Entry {
  owner: string;
  listener: Listener<HubEventName>;
}

/**
 * The hub's typed event bus. `emit` never throws and never waits: each listener runs on its own, in the
 * order it was added, and a listener's error (thrown or rejected) is reported to `onError`, never to the emitter.
 * Every listener has an owner (a feature's name) so a stopping feature removes all of its listeners at once.
 */
export class EventBus {
  private readonly listeners = new Map<HubEventName, Set<Entry>>();

  constructor(private readonly onError: (err: unknown, event: HubEventName, owner: string) => void) {}

  /** Adds a listener owned by `owner`; returns the function that removes it. */
  listen<K extends HubEventName>(owner: string, event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry: Entry = { owner, listener: listener as Listener<HubEventName> };
    set.add(entry);
    return () => set.delete(entry);
  }

  /** A listener without a feature (tests, benches). */
  on<K extends HubEventName>(event: K, listener: Listener<K>): () => void {
    return this.listen('anonymous', event, listener);
  }

  /** Removes every listener `owner` added. */
  removeAll(owner: string): void {
    for (const set of this.listeners.values()) {
      for (const entry of set) if (entry.owner === owner) set.delete(entry);
    }
  }

  /** The owners listening to `event`, in the order they run. */
  ownersOf(event: HubEventName): string[] {
    return [...(this.listeners.get(event) ?? [])].map((e) => e.owner);
  }

  emit<K extends HubEventName>(event: K, payload: HubEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const { owner, listener } of set) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((err: unknown) => this.onError(err, event, owner));
      } catch (err) {
        this.onError(err, event, owner);
      }
    }
  }
}
