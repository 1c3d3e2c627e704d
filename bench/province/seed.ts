/**
 * The provincial hall, seeded straight through the set-up repositories in one transaction (no demo seed,
 * no password hashing): departments, services, counters, staff with session tokens, and devices —
 * kiosks WITHOUT printers, displays, one tablet per counter.
 */
import { randomBytes } from 'node:crypto';
import { transaction, type Db } from '../../server/db/pool.js';
import * as setup from '../../server/admin/setup.repo.js';
import { insertSession, insertUser } from '../../server/auth/auth.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { departments, type HallPlan } from './scenario.js';

export interface ProvinceHall {
  hallId: number;
  serviceIds: number[];
  counters: { id: number; number: number; serviceIds: number[]; staffToken: string; tabletToken: string }[];
  kioskTokens: string[];
  displayTokens: string[];
}

export async function seedProvince(db: Db, plan: HallPlan, opts: { kiosks: number; displays: number; voice: boolean }): Promise<ProvinceHall> {
  return transaction(db, async (tx) => {
    const hallId = await setup.insertHall(tx, {
      code: `PROV${randomBytes(2).toString('hex')}`,
      name: 'Trung tâm Phục vụ hành chính công tỉnh (bench)',
      settings: { priorityInterleave: 2, priorityAgeingMinutes: 30, maxRequeue: 1, agencyId: '000.00.00.H99' },
    });
    if (!opts.voice) await tx.query(`UPDATE halls SET settings = settings || '{"voiceEnabled": false}'::jsonb WHERE id = $1`, [hallId]);
    // 4 kiosks issue 5,000 tickets in a compressed day: far over a real kiosk's pace, so the pace limit is lifted.
    await tx.query(`UPDATE halls SET settings = settings || '{"kioskTicketsPerMinute": 0}'::jsonb WHERE id = $1`, [hallId]);
    const deptIds: number[] = [];
    for (const d of departments) deptIds.push(await setup.insertDepartment(tx, hallId, d.name, d.en));
    const serviceIds: number[] = [];
    for (const s of plan.services) {
      // Number ranges instead of letter prefixes (40 services): service k prints k001..k999.
      const start = (s.index + 1) * 1000 + 1;
      const row = await setup.insertService(tx, {
        hallId,
        departmentId: deptIds[s.department]!,
        name: s.name,
        nameEn: s.en,
        prefix: '',
        numberStart: start,
        numberEnd: start + 998,
        defaultServiceSeconds: s.minutes * 60,
        active: true,
      });
      serviceIds.push(row.id);
    }
    const expires = new Date(Date.now() + 24 * 3600_000);
    const counters: ProvinceHall['counters'] = [];
    for (const c of plan.counters) {
      const ids = c.services.map((i) => serviceIds[i]!);
      const id = await setup.insertCounter(tx, hallId, c.number, c.name, ids);
      // A password hash no login can match: the bench gives each staff member a session directly.
      const user = await insertUser(tx, { hallId, username: `prov${hallId}_cb${c.number}`, passwordHash: '!bench-no-login', name: `Cán bộ quầy ${c.number}`, role: 'staff', title: 'Chuyên viên' });
      const staffToken = newToken('u');
      await insertSession(tx, hashToken(staffToken), user.id, expires);
      const tabletToken = newToken('d');
      await insertDevice(tx, { hallId, kind: 'tablet', name: `Máy tính bảng – Quầy ${c.number}`, counterId: id, printer: null, tokenHash: hashToken(tabletToken) });
      counters.push({ id, number: c.number, serviceIds: ids, staffToken, tabletToken });
    }
    const kioskTokens: string[] = [];
    for (let i = 0; i < opts.kiosks; i++) {
      const token = newToken('d');
      // printer: null — these kiosks print nothing, so the run measures the queue and not printing.
      await insertDevice(tx, { hallId, kind: 'kiosk', name: `Máy lấy số ${i + 1} (không máy in)`, counterId: null, printer: null, tokenHash: hashToken(token) });
      kioskTokens.push(token);
    }
    const displayTokens: string[] = [];
    for (let i = 0; i < opts.displays; i++) {
      const token = newToken('d');
      await insertDevice(tx, { hallId, kind: 'display', name: `Màn hình sảnh ${i + 1}`, counterId: null, printer: null, tokenHash: hashToken(token) });
      displayTokens.push(token);
    }
    return { hallId, serviceIds, counters, kioskTokens, displayTokens };
  });
}
