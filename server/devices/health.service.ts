import type { Db } from '../db/pool.js';
import type { EventBus, HubEvents } from '../events.js';
import type { DriverHealth, HardwareHealthReply } from '../../protocol/voice.js';
import * as repo from './health.repo.js';

type DriverReport = HubEvents['driver.health'];

interface HealthLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Device health for the live board: the hub's own drivers (stored per hub process, so any process can answer
 * `GET /api/v1/hardware/health`) and the devices that connect to the hub (a periodic sweep turns heartbeats that
 * stopped, disconnects and changed faults into `device.health` events, each reported once across processes).
 */
export class HealthService {
  /** Last stored report per hall/driver. */
  private readonly last = new Map<string, { key: string; faults: repo.Fault[] }>();
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly node: string,
    private readonly log: HealthLog,
  ) {}

  /** Forgets this process's drivers (at start and stop: they report again when they run). */
  async reset(): Promise<void> {
    await this.flushed();
    this.last.clear();
    await repo.deleteNode(this.db, this.node);
  }

  /** Stores a driver's report when it changed and tells the board. Reports are applied in arrival order. */
  driver(report: DriverReport): Promise<void> {
    const run = this.writes.then(() => this.store(report));
    this.writes = run.catch((err: unknown) => this.log.warn({ err, driver: report.driver }, 'driver health not stored'));
    return run;
  }

  /** Resolves when every report so far is stored. */
  flushed(): Promise<void> {
    return this.writes;
  }

  async hardware(hallId: number): Promise<HardwareHealthReply> {
    const rows = await repo.driversOfHall(this.db, hallId);
    return { drivers: rows.map(view), at: new Date().toISOString() };
  }

  /** Reports devices whose online state or faults changed since the last sweep (by any hub process). */
  async sweep(): Promise<number> {
    const changes = await repo.sweepDeviceHealth(this.db);
    let reported = 0;
    const at = new Date().toISOString();
    for (const c of changes) {
      if (c.first && !c.online && c.faults.length === 0) continue; // a device never seen: nothing to tell
      reported++;
      if (!c.online) this.log.warn({ deviceId: c.device_id, hallId: c.hall_id }, 'device offline: no heartbeat within its window');
      this.bus.emit('device.health', { hallId: c.hall_id, deviceId: c.device_id, online: c.online, faults: c.faults, at });
    }
    return reported;
  }

  private async store(report: DriverReport): Promise<void> {
    const id = `${report.hallId}/${report.driver}`;
    const key = JSON.stringify([report.kind, report.path, report.counterNumber, report.online, report.faults]);
    const prev = this.last.get(id);
    if (prev?.key === key) return;
    const now = new Date().toISOString();
    const faults = report.faults.map((f) => ({ code: f.code, message: f.message, since: prev?.faults.find((p) => p.code === f.code)?.since ?? now }));
    await repo.upsertDriver(this.db, {
      node: this.node,
      driver: report.driver,
      hallId: report.hallId,
      kind: report.kind,
      path: report.path,
      counterNumber: report.counterNumber,
      online: report.online,
      faults,
    });
    this.last.set(id, { key, faults });
    this.bus.emit('device.health', { hallId: report.hallId, deviceId: null, driver: report.driver, online: report.online, faults, at: now });
  }
}

function view(r: repo.HardwareHealthRow): DriverHealth {
  return {
    driver: r.driver,
    kind: r.kind,
    node: r.node,
    path: r.path,
    counterNumber: r.counter_number,
    online: r.online,
    faults: r.faults,
    updatedAt: r.updated_at.toISOString(),
  };
}
