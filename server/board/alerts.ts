import { HALL_SETTING_DEFAULTS } from '../../protocol/setup.js';
import type { BoardAlert, CounterOnBoard, DeviceOnBoard, ServiceOnBoard } from '../../protocol/index.js';

export const DEFAULT_IDLE_ALERT_MINUTES = HALL_SETTING_DEFAULTS.idleAlertMinutes;

const mins = (seconds: number) => Math.floor(seconds / 60);

const kindVi: Record<DeviceOnBoard['kind'], string> = {
  kiosk: 'Máy lấy số',
  lookup: 'Ki-ốt tra cứu',
  display: 'Màn hình',
  tablet: 'Máy tính bảng',
  agent: 'Máy trạm thiết bị',
};

/**
 * The board's alerts, worst first: SLA breaches and services nobody serves while people wait
 * (critical), counters idle while people wait for them, offline devices and device faults.
 */
export function boardAlerts(input: {
  services: readonly ServiceOnBoard[];
  counters: readonly CounterOnBoard[];
  devices: readonly DeviceOnBoard[];
  now: Date;
  idleAlertMinutes: number;
}): BoardAlert[] {
  const alerts: BoardAlert[] = [];
  const base = { serviceId: null, counterId: null, deviceId: null, since: null } as const;
  for (const s of input.services) {
    if (s.maxWaitMinutes !== null && s.longestWaitSeconds !== null && s.longestWaitSeconds > s.maxWaitMinutes * 60) {
      alerts.push({
        ...base,
        kind: 'sla_breach',
        severity: 'critical',
        serviceId: s.id,
        since: s.oldestWaitingSince,
        message: `${s.name}: có người đã chờ ${mins(s.longestWaitSeconds)} phút, vượt mục tiêu ${s.maxWaitMinutes} phút`,
        messageEn: `${s.nameEn ?? s.name}: someone has waited ${mins(s.longestWaitSeconds)} min, over the ${s.maxWaitMinutes} min target`,
      });
    }
    if (s.waiting > 0 && s.openCounters === 0) {
      alerts.push({
        ...base,
        kind: 'no_open_counter',
        severity: 'critical',
        serviceId: s.id,
        since: s.oldestWaitingSince,
        message: `${s.name}: ${s.waiting} người đang chờ nhưng không có quầy nào mở`,
        messageEn: `${s.nameEn ?? s.name}: ${s.waiting} waiting but no counter is open`,
      });
    }
  }
  for (const c of input.counters) {
    if (c.status !== 'open' || c.currentTicket !== null || c.waitingForIt === 0 || c.idleSince === null) continue;
    const idleSeconds = (input.now.getTime() - Date.parse(c.idleSince)) / 1000;
    if (idleSeconds < input.idleAlertMinutes * 60) continue;
    alerts.push({
      ...base,
      kind: 'idle_counter',
      severity: 'warning',
      counterId: c.id,
      since: c.idleSince,
      message: `Quầy ${c.number} rảnh ${mins(idleSeconds)} phút trong khi ${c.waitingForIt} người đang chờ`,
      messageEn: `Counter ${c.number} idle for ${mins(idleSeconds)} min while ${c.waitingForIt} are waiting`,
    });
  }
  for (const d of input.devices) {
    for (const f of d.faults) {
      alerts.push({
        ...base,
        kind: 'device_fault',
        severity: 'critical',
        deviceId: d.id,
        counterId: d.counterId,
        since: f.since,
        message: `${kindVi[d.kind]} "${d.name}": ${f.message}`,
        messageEn: `${d.kind} "${d.name}": ${f.message} (${f.code})`,
      });
    }
    if (!d.online) {
      alerts.push({
        ...base,
        kind: 'device_offline',
        severity: d.kind === 'kiosk' || d.kind === 'agent' ? 'critical' : 'warning',
        deviceId: d.id,
        counterId: d.counterId,
        since: d.lastSeenAt,
        message: `${kindVi[d.kind]} "${d.name}" mất kết nối${d.lastSeenAt ? '' : ' (chưa kết nối lần nào)'}`,
        messageEn: `${d.kind} "${d.name}" is offline${d.lastSeenAt ? '' : ' (never connected)'}`,
      });
    }
  }
  const rank = (a: BoardAlert) => (a.severity === 'critical' ? 0 : 1);
  return alerts.sort((a, b) => rank(a) - rank(b));
}
