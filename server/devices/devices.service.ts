import type { Db } from '../db/pool.js';
import { badRequest, notFound } from '../errors.js';
import type { CreateDeviceBody, CreateDeviceReply, Device, DeviceKind, PatchDeviceBody } from '../../protocol/index.js';
import { findCounter } from '../admin/setup.repo.js';
import { hashToken, newToken } from '../auth/tokens.js';
import * as repo from './devices.repo.js';
import { setReportedFaults } from './faults.repo.js';
import type { EventBus } from '../events.js';

/** Heartbeats come every 10 s; a device is online while its last one is younger than this. */
export const ONLINE_WINDOW_SECONDS = 30;

/** The address a device opens once with its token; null for a hardware agent (the token goes on its command line). */
export function deviceUrl(publicUrl: string, kind: DeviceKind, token: string): string | null {
  const t = encodeURIComponent(token);
  switch (kind) {
    case 'kiosk':
      return `${publicUrl}/kiosk/?token=${t}`;
    case 'lookup':
      return `${publicUrl}/kiosk/lookup?token=${t}`;
    case 'display':
      return `${publicUrl}/display/?token=${t}`;
    case 'tablet':
      return `${publicUrl}/tablet/?token=${t}`;
    case 'agent':
      return null;
  }
}

export class DevicesService {
  /** `publicUrl`: the hub's base URL (PUBLIC_URL) for the addresses given to new devices. */
  constructor(
    private readonly db: Db,
    private readonly publicUrl = '',
    private readonly bus: EventBus | null = null,
  ) {}

  async create(hallId: number, body: CreateDeviceBody): Promise<CreateDeviceReply> {
    if (body.counterId !== undefined && !(await findCounter(this.db, hallId, body.counterId))) {
      throw notFound(`Không có quầy số ${body.counterId}`);
    }
    const token = newToken('d');
    const id = await repo.insertDevice(this.db, {
      hallId,
      kind: body.kind,
      name: body.name,
      counterId: body.counterId ?? null,
      printer: body.printer ?? null,
      tokenHash: hashToken(token),
    });
    return { id, token, url: deviceUrl(this.publicUrl, body.kind, token) };
  }

  async list(hallId: number): Promise<Device[]> {
    const now = Date.now();
    return (await repo.listDevices(this.db, hallId)).map((d) => ({
      id: d.id,
      kind: d.kind,
      name: d.name,
      counterId: d.counter_id,
      printer: d.printer,
      createdAt: d.created_at.toISOString(),
      revoked: d.revoked_at !== null,
      health: {
        online: d.revoked_at === null && d.online_until !== null && d.online_until.getTime() > now,
        lastSeenAt: d.last_seen_at?.toISOString() ?? null,
        faults: d.faults,
      },
    }));
  }

  /** Renames a device, pairs it with another counter of the hall or changes its printer; its sockets reconnect with the change. */
  async update(hallId: number, id: number, body: PatchDeviceBody): Promise<void> {
    const device = await repo.findDevice(this.db, id);
    if (!device || device.hall_id !== hallId || device.revoked_at !== null) throw notFound(`Không có thiết bị số ${id}`);
    if (body.counterId != null && !(await findCounter(this.db, hallId, body.counterId))) throw notFound(`Không có quầy số ${body.counterId}`);
    if (device.kind === 'tablet' && body.counterId === null) throw badRequest('Máy tính bảng đánh giá phải gắn với một quầy / a rating tablet needs a counter');
    if (!(await repo.updateDevice(this.db, hallId, id, body))) throw notFound(`Không có thiết bị số ${id}`);
    this.bus?.emit('device.changed', { hallId, deviceId: id });
  }

  async revoke(hallId: number, id: number): Promise<void> {
    if (!(await repo.revokeDevice(this.db, hallId, id))) throw notFound(`Không có thiết bị số ${id}`);
    this.bus?.emit('access.revoked', { hallId, deviceId: id });
  }

  async seen(id: number, faults?: { code: string; message: string }[]): Promise<void> {
    const device = faults ? await repo.findDevice(this.db, id) : null;
    const since = new Date().toISOString();
    const merged = faults?.map((f) => ({ ...f, since: device?.faults.find((old) => old.code === f.code)?.since ?? since }));
    await repo.touchDevice(this.db, id, ONLINE_WINDOW_SECONDS);
    if (merged) await setReportedFaults(this.db, id, merged);
  }

  async offline(id: number): Promise<void> {
    await repo.markOffline(this.db, id);
  }
}
