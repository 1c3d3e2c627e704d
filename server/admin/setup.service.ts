import { type Db, transaction } from '../db/pool.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { CreateCounterBody, CreateDepartmentBody, CreateServiceBody, Department, Hall, Service, UpdateServiceBody } from '../../protocol/index.js';
import * as repo from './setup.repo.js';

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
    ...(s.waiting !== undefined ? { waiting: s.waiting } : {}),
  };
}

export class SetupService {
  constructor(private readonly db: Db) {}

  async hall(hallId: number): Promise<Hall> {
    const h = await repo.findHall(this.db, hallId);
    if (!h) throw notFound(`Không có trung tâm số ${hallId}`);
    return { id: h.id, code: h.code, name: h.name, timezone: h.timezone, day: h.day };
  }

  async departments(hallId: number): Promise<Department[]> {
    return (await repo.listDepartments(this.db, hallId)).map((d) => ({ id: d.id, name: d.name, nameEn: d.name_en }));
  }

  async createDepartment(hallId: number, body: CreateDepartmentBody): Promise<Department> {
    const id = await repo.insertDepartment(this.db, hallId, body.name, body.nameEn ?? null);
    return { id, name: body.name, nameEn: body.nameEn ?? null };
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
    return serviceView(row);
  }

  async updateService(hallId: number, id: number, body: UpdateServiceBody): Promise<Service> {
    const row = await repo.updateService(this.db, hallId, id, body);
    if (!row) throw notFound(`Không có dịch vụ số ${id}`);
    return serviceView(row);
  }

  /** Creates a counter serving the given services; returns its id. */
  async createCounter(hallId: number, body: CreateCounterBody): Promise<number> {
    return transaction(this.db, async (tx) => {
      if ((await repo.countExistingServices(tx, hallId, body.serviceIds)) !== body.serviceIds.length) {
        throw notFound('Một hoặc nhiều dịch vụ không tồn tại');
      }
      if (await repo.counterNumberTaken(tx, hallId, body.number)) throw conflict(`Quầy số ${body.number} đã có`, 'counter_number_taken');
      return repo.insertCounter(tx, hallId, body.number, body.name, body.serviceIds);
    });
  }
}
