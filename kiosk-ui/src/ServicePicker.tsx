import type { Department, Service } from '../../protocol/index.js';
import { localized } from '../../ui-kit/index.js';
import { t } from './messages.js';

/** More services than this are grouped by department first. */
export const GROUP_ABOVE = 8;

export interface ServicePickerProps {
  services: Service[] | null;
  departments: Department[];
  loadFailed: boolean;
  waiting: ReadonlyMap<number, number>;
  priority: boolean;
  onPriority: (on: boolean) => void;
  departmentId: number | 'other' | null;
  onDepartment: (id: number | 'other' | null) => void;
  /** The service whose ticket is being issued. */
  busy: number | null;
  onPick: (service: Service) => void;
}

interface Group {
  id: number | 'other';
  name: string;
  services: Service[];
}

function groupsOf(services: Service[], departments: Department[]): Group[] {
  const groups: Group[] = [];
  for (const d of departments) {
    const list = services.filter((s) => s.departmentId === d.id);
    if (list.length) groups.push({ id: d.id, name: localized(d.name, d.nameEn), services: list });
  }
  const known = new Set(departments.map((d) => d.id));
  const rest = services.filter((s) => s.departmentId === null || !known.has(s.departmentId));
  if (rest.length) groups.push({ id: 'other', name: t('otherServices'), services: rest });
  return groups;
}

export function ServicePicker(p: ServicePickerProps) {
  if (p.services === null) {
    return <main class="kiosk-main kiosk-main--center">{p.loadFailed ? <p class="hh-alert hh-alert--warning">{t('loadFailed')}</p> : <p class="hh-loading">…</p>}</main>;
  }
  const grouped = p.services.length > GROUP_ABOVE;
  const groups = grouped ? groupsOf(p.services, p.departments) : [];
  const group = grouped && p.departmentId !== null ? groups.find((g) => g.id === p.departmentId) ?? null : null;
  const showDepartments = grouped && group === null;
  const list = grouped ? group?.services ?? [] : p.services;

  return (
    <main class="kiosk-main">
      <div class="kiosk-title">
        <h2>{showDepartments ? t('chooseDepartment') : t('chooseService')}</h2>
        <p>{showDepartments ? t('chooseDepartmentHint') : t('chooseServiceHint')}</p>
      </div>

      <button
        type="button"
        class={`kiosk-priority ${p.priority ? 'is-on' : ''}`}
        role="switch"
        aria-checked={p.priority}
        data-testid="priority-toggle"
        onClick={() => p.onPriority(!p.priority)}
      >
        <span class="kiosk-priority__icon" aria-hidden="true">
          ♿
        </span>
        <span class="kiosk-priority__text">
          <strong>
            {t('priorityTitle')}: {t('priorityText')}
          </strong>
          <span>{p.priority ? t('priorityOn') : t('priorityOff')}</span>
        </span>
        <span class="kiosk-switch" aria-hidden="true">
          <span class="kiosk-switch__knob" />
        </span>
      </button>

      {group ? (
        <div class="kiosk-group-head">
          <button type="button" class="hh-btn hh-btn--secondary hh-btn--lg" onClick={() => p.onDepartment(null)}>
            {t('back')}
          </button>
          <h3>{group.name}</h3>
        </div>
      ) : null}

      {p.services.length === 0 ? <p class="hh-alert hh-alert--info">{t('noServices')}</p> : null}

      {showDepartments ? (
        <div class="kiosk-grid" key="departments">
          {groups.map((g) => {
            const n = g.services.reduce((sum, s) => sum + (p.waiting.get(s.id) ?? 0), 0);
            return (
              <button type="button" key={`dept-${g.id}`} class="kiosk-tile kiosk-tile--dept" onClick={() => p.onDepartment(g.id)}>
                <span class="kiosk-tile__name">{g.name}</span>
                <span class="kiosk-tile__meta">
                  <span>{t('servicesCount', { n: g.services.length })}</span>
                  <span class="kiosk-tile__waiting">{n > 0 ? t('waitingCount', { n }) : t('waitingNone')}</span>
                </span>
              </button>
            );
          })}
        </div>
      ) : (
        <div class="kiosk-grid" key={`services-${String(group?.id ?? 'all')}`}>
          {list.map((s) => {
            const n = p.waiting.get(s.id) ?? 0;
            const closed = !s.active;
            return (
              <button
                type="button"
                key={s.id}
                class={`kiosk-tile ${p.busy === s.id ? 'is-busy' : ''} ${closed ? 'is-closed' : ''}`}
                disabled={closed || p.busy !== null}
                data-service-id={s.id}
                onClick={() => p.onPick(s)}
              >
                {s.prefix ? (
                  <span class="kiosk-tile__prefix" aria-hidden="true">
                    {s.prefix}
                  </span>
                ) : null}
                <span class="kiosk-tile__name">{localized(s.name, s.nameEn)}</span>
                <span class="kiosk-tile__meta">
                  {closed ? (
                    <span class="kiosk-tile__closed">{t('serviceClosed')}</span>
                  ) : p.busy === s.id ? (
                    <span>{t('issuing')}</span>
                  ) : (
                    <span class="kiosk-tile__waiting" data-testid={`waiting-${s.id}`}>
                      {n > 0 ? t('waitingCount', { n }) : t('waitingNone')}
                    </span>
                  )}
                </span>
              </button>
            );
          })}
        </div>
      )}

      {p.priority ? <p class="kiosk-priority-note">{t('priorityNote')}</p> : null}
    </main>
  );
}
