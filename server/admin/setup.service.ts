import { type Db, type Queryable, transaction } from '../db/pool.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { EventBus } from '../events.js';
import {
  HALL_SETTING_DEFAULTS,
  HallSettings,
  type Counter,
  type CreateCounterBody,
  type CreateDepartmentBody,
  type CreateServiceBody,
  type Department,
  type Hall,
  type HallSettingKey,
  type HallWithSettings,
  type Service,
  type UpdateCounterBody,
  type UpdateDepartmentBody,
  type UpdateHallBody,
  type UpdateServiceBody,
} from '../../protocol/index.js';
import { validator } from '../../protocol/validate.js';
import * as repo from './setup.repo.js';

export { HALL_SETTING_DEFAULTS };

const settingKeys = Object.keys(HallSettings.properties) as HallSettingKey[];
const settingCheck = new Map(settingKeys.map((k) => [k, validator(HallSettings.properties[k])] as const));

/** A hall's settings jsonb read field by field: a missing or invalid field shows its default. */
export function hallSettingsOf(raw: unknown): HallSettings {
  const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...HALL_SETTING_DEFAULTS };
  for (const key of settingKeys) {
    const value = obj[key];
    if (value !== undefined && value !== null && settingCheck.get(key)!.check(value)) out[key] = value;
  }
  return out as HallSettings;
}

/** Finds what a view of a counter needs (the queue domain builds it). */
export type CounterViewer = (db: Queryable, hallId: number, counterId: number) => Promise<Counter>;

export function serviceView(s: repo.ServiceRow & { waiting?: number }): Service {
  return {
    id: s.id,
    name: s.name,
    nameEn: s.name_en,
    prefix: s.prefix,
    numberStart: s.number_start,
    numberEnd: s.number_end,
    departmentId: s.department_id,
    active: s.active,
    defaultServiceMinutes: Math.max(1, Math.round(s.default_service_seconds / 60)),
    ...(s.waiting !== undefined ? { waiting: s.waiting } : {}),
  };
}

export class SetupService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly counterView: CounterViewer,
  ) {}

  async hall(hallId: number): Promise<Hall> {
    const h = await repo.findHall(this.db, hallId);
    if (!h) throw notFound(`Không có trung tâm số ${hallId}`);
    const s = hallSettingsOf(h.settings);
    const screens = { openingTime: s.openingTime, unprintedTicketMinutes: s.unprintedTicketMinutes, displayLanguages: s.displayLanguages };
    return { id: h.id, code: h.code, name: h.name, timezone: h.timezone, day: h.day, screens };
  }

  async hallWithSettings(hallId: number, db: Queryable = this.db): Promise<HallWithSettings> {
    const h = await repo.findHall(db, hallId);
    if (!h) throw notFound(`Không có trung tâm số ${hallId}`);
    return { id: h.id, code: h.code, name: h.name, timezone: h.timezone, day: h.day, settings: hallSettingsOf(h.settings) };
  }

  /** Renames the hall and changes its settings (`reset`: back to the default); voice settings stay as they are. */
  async updateHall(hallId: number, body: UpdateHallBody): Promise<HallWithSettings> {
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body.settings ?? {})) {
      if (value !== undefined) set[key] = typeof value === 'string' ? value.trim() : value;
    }
    const remove = body.reset ?? [];
    const both = remove.filter((k) => k in set);
    if (both.length) throw badRequest(`Không thể vừa đặt vừa khôi phục mặc định cho: ${both.join(', ')}`);
    const hall = await transaction(this.db, async (tx) => {
      if (!(await repo.updateHall(tx, hallId, { name: body.name?.trim() ?? null, set, remove }))) throw notFound(`Không có trung tâm số ${hallId}`);
      return this.hallWithSettings(hallId, tx);
    });
    return this.changed(hallId, hall);
  }

  /** After a committed change: every screen of the hall re-reads the set-up. */
  private changed<T>(hallId: number, result: T): T {
    this.bus.emit('setup.changed', { hallId });
    return result;
  }

  async departments(hallId: number): Promise<Department[]> {
    return (await repo.listDepartments(this.db, hallId)).map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en }));
  }

  async createDepartment(hallId: number, body: CreateDepartmentBody): Promise<Department> {
    const id = await repo.insertDepartment(this.db, hallId, body.name, body.nameEn ?? null);
    return this.changed(hallId, { id, name: body.name, nameEn: body.nameEn ?? null });
  }

  async updateDepartment(hallId: number, id: number, body: UpdateDepartmentBody): Promise<Department> {
    const row = await repo.updateDepartment(this.db, hallId, id, {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(body.nameEn !== undefined ? { nameEn: body.nameEn?.trim() || null } : {}),
    });
    if (!row) throw notFound(`Không có phòng ban số ${id}`);
    return this.changed(hallId, { id: row.id, name: row.name, nameEn: row.name_en });
  }

  async services(hallId: number): Promise<Service[]> {
    return (await repo.listServices(this.db, hallId)).map(serviceView);
  }

  async createService(hallId: number, body: CreateServiceBody): Promise<Service> {
    const numberStart = body.numberStart ?? 1;
    const numberEnd = body.numberEnd ?? (body.prefix ? 999 : numberStart + 998);
    if (numberEnd < numberStart) throw badRequest('numberEnd phải lớn hơn hoặc bằng numberStart');
    if (body.departmentId !== undefined && !(await repo.departmentExists(this.db, hallId, body.departmentId))) {
      throw notFound(`Không có phòng ban số ${body.departmentId}`);
    }
    await this.assertNoNumberClash(this.db, hallId, { prefix: body.prefix, numberStart, numberEnd, exceptId: null });
    const row = await repo.insertService(this.db, {
      hallId,
      departmentId: body.departmentId ?? null,
      name: body.name,
      nameEn: body.nameEn ?? null,
      prefix: body.prefix,
      numberStart,
      numberEnd,
      defaultServiceSeconds: (body.defaultServiceMinutes ?? 5) * 60,
      active: body.active ?? true,
    });
    return this.changed(hallId, serviceView(row));
  }

  async updateService(hallId: number, id: number, body: UpdateServiceBody): Promise<Service> {
    const service = await transaction(this.db, async (tx) => {
      const current = await repo.findService(tx, hallId, id);
      if (!current) throw notFound(`Không có dịch vụ số ${id}`);
      const prefix = body.prefix ?? current.prefix;
      const numberStart = body.numberStart ?? current.number_start;
      const numberEnd = body.numberEnd ?? current.number_end;
      if (numberEnd < numberStart) throw badRequest(`Số cuối (${numberEnd}) phải lớn hơn hoặc bằng số đầu (${numberStart})`);
      if (typeof body.departmentId === 'number' && !(await repo.departmentExists(tx, hallId, body.departmentId))) {
        throw notFound(`Không có phòng ban số ${body.departmentId}`);
      }
      if (body.prefix !== undefined || body.numberStart !== undefined || body.numberEnd !== undefined) {
        await this.assertNoNumberClash(tx, hallId, { prefix, numberStart, numberEnd, exceptId: id });
      }
      const row = await repo.updateService(tx, hallId, id, {
        ...(body.active !== undefined ? { active: body.active } : {}),
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.nameEn !== undefined ? { nameEn: body.nameEn?.trim() || null } : {}),
        ...(body.prefix !== undefined ? { prefix } : {}),
        ...(body.numberStart !== undefined ? { numberStart } : {}),
        ...(body.numberEnd !== undefined ? { numberEnd } : {}),
        ...(body.departmentId !== undefined ? { departmentId: body.departmentId } : {}),
        ...(body.defaultServiceMinutes !== undefined ? { defaultServiceSeconds: body.defaultServiceMinutes * 60 } : {}),
      });
      if (!row) throw notFound(`Không có dịch vụ số ${id}`);
      return serviceView(row);
    });
    return this.changed(hallId, service);
  }

  /** Two services printing the same number would send two citizens to one call: 409. */
  private async assertNoNumberClash(db: Queryable, hallId: number, s: { prefix: string; numberStart: number; numberEnd: number; exceptId: number | null }) {
    const clash = await repo.serviceNumberClash(db, hallId, s);
    if (!clash) return;
    throw conflict(
      s.prefix
        ? `Tiền tố "${s.prefix}" với dãy số này đã được dùng cho lĩnh vực "${clash.name}": hãy chọn tiền tố khác`
        : `Dãy số ${s.numberStart}–${s.numberEnd} trùng với lĩnh vực "${clash.name}": hãy chọn dãy số khác`,
      'number_clash',
    );
  }

  /** Creates a counter serving the given services; returns its id. */
  async createCounter(hallId: number, body: CreateCounterBody): Promise<number> {
    const id = await transaction(this.db, async (tx) => {
      if ((await repo.countExistingServices(tx, hallId, body.serviceIds)) !== body.serviceIds.length) {
        throw notFound('Một hoặc nhiều dịch vụ không tồn tại');
      }
      if (await repo.counterNumberTaken(tx, hallId, body.number)) throw conflict(`Quầy số ${body.number} đã có: hãy chọn số khác`, 'counter_number_taken');
      return repo.insertCounter(tx, hallId, body.number, body.name, body.serviceIds);
    });
    return this.changed(hallId, id);
  }

  /** Renames, renumbers or re-assigns a counter (also while open); consoles, tablets and displays get the new counter. */
  async updateCounter(hallId: number, id: number, body: UpdateCounterBody): Promise<Counter> {
    await transaction(this.db, async (tx) => {
      const counter = await repo.lockCounter(tx, hallId, id);
      if (!counter) throw notFound(`Không có quầy số ${id}`);
      if (body.serviceIds && (await repo.countExistingServices(tx, hallId, body.serviceIds)) !== body.serviceIds.length) {
        throw notFound('Một hoặc nhiều lĩnh vực không tồn tại');
      }
      if (body.number !== undefined && (await repo.counterNumberTaken(tx, hallId, body.number, id))) {
        throw conflict(`Quầy số ${body.number} đã có: hãy chọn số khác`, 'counter_number_taken');
      }
      if (body.number !== undefined || body.name !== undefined) {
        await repo.updateCounter(tx, id, { ...(body.number !== undefined ? { number: body.number } : {}), ...(body.name !== undefined ? { name: body.name.trim() } : {}) });
      }
      if (body.serviceIds) await repo.setCounterServices(tx, id, body.serviceIds);
    });
    const counter = await this.counterView(this.db, hallId, id);
    // displays show counter names and numbers too, so they get this change like an open or close
    this.bus.emit('counter.changed', { hallId, counter, statusChanged: true });
    return this.changed(hallId, counter);
  }
}
