import { useState } from 'preact/hooks';
import type { CreateHolidayBody, Hall, Holiday, HolidayKind } from '../../../protocol/index.js';
import { Button, formatLongDate, lang, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { Dialog, ErrorLine, Field, Flash, Loading, SectionHead, useAction, useReloadKey, type SectionProps } from './parts.js';

/** A YYYY-MM-DD day as the hall reads it, with its weekday (noon UTC keeps the calendar day in any zone). */
const dayText = (day: string) => formatLongDate(new Date(`${day}T12:00:00Z`), lang.value, { timeZone: 'UTC' });

function HolidayDialog({ year, onClose, onSaved }: { year: number; onClose: () => void; onSaved: (h: Holiday) => void }) {
  const [day, setDay] = useState(`${year}-01-01`);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<HolidayKind>('holiday');
  const action = useAction();

  async function submit() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return action.setError(t('hol_dayRequired'));
    if (!name.trim()) return action.setError(t('required', { field: t('hol_nameField') }));
    const body: CreateHolidayBody = { day, name: name.trim(), kind };
    const saved = await action.run(() => api.post<Holiday>('/holidays', body));
    if (saved) onSaved(saved);
  }

  return (
    <Dialog title={t('hol_new')} error={action.error} busy={action.busy} onCancel={onClose} onSubmit={() => void submit()} testId="holiday-dialog">
      <Field label={t('hol_day')}>
        <input name="day" type="date" value={day} onInput={(e) => setDay(e.currentTarget.value)} />
      </Field>
      <Field label={t('hol_name')}>
        <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} autoFocus />
      </Field>
      <Field label={t('hol_kind')}>
        <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as HolidayKind)}>
          <option value="holiday">{t('hol_kind_holiday')}</option>
          <option value="workday">{t('hol_kind_workday')}</option>
        </select>
      </Field>
    </Dialog>
  );
}

export function HolidaysSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const hall = useLoad(() => api.get<Hall>('/hall'), [reloadKey]);
  const [year, setYear] = useState<number | null>(null);
  const shown = year ?? (hall.data ? Number(hall.data.day.slice(0, 4)) : new Date().getFullYear());
  const holidays = useLoad(() => api.get<Holiday[]>(`/holidays?year=${shown}`), [reloadKey, shown]);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Holiday | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const action = useAction();

  async function loadDefaults() {
    const r = await action.run(() => api.post<{ added: number }>('/holidays/defaults', { years: [shown] }));
    if (r) {
      setFlash(t('hol_defaultsDone', { n: r.added, year: shown }));
      holidays.reload();
    }
  }

  async function remove(h: Holiday) {
    const r = await action.run(() => api.delete(`/holidays/${h.id}`));
    if (r !== undefined) {
      setDeleting(null);
      setFlash(t('hol_deleted', { name: h.name }));
      holidays.reload();
    }
  }

  return (
    <section class="admin-section" data-testid="section-holidays">
      <SectionHead title={t('hol_title')} hint={t('hol_hint')}>
        {canEdit ? (
          <>
            <Button variant="secondary" onClick={() => void loadDefaults()} disabled={action.busy} data-testid="holiday-defaults">
              {t('hol_defaults', { year: shown })}
            </Button>
            <Button onClick={() => setAdding(true)} data-testid="add-holiday">
              + {t('hol_add')}
            </Button>
          </>
        ) : null}
      </SectionHead>
      <div class="admin-yearbar">
        <Button size="sm" variant="secondary" onClick={() => setYear(shown - 1)} disabled={shown <= 2000}>
          {t('hol_prev')}
        </Button>
        <strong class="hh-num" data-testid="holiday-year">
          {t('hol_year')} {shown}
        </strong>
        <Button size="sm" variant="secondary" onClick={() => setYear(shown + 1)} disabled={shown >= 2100}>
          {t('hol_next')}
        </Button>
      </div>
      <Flash text={flash} onClose={() => setFlash(null)} />
      {deleting ? null : <ErrorLine error={action.error} />}
      <Loading load={holidays}>
        {(rows) =>
          rows.length ? (
            <table class="admin-table hh-card">
              <thead>
                <tr>
                  <th>{t('hol_day')}</th>
                  <th>{t('hol_name')}</th>
                  <th>{t('hol_kind')}</th>
                  {canEdit ? <th class="actions">{t('actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((h) => (
                  <tr key={h.id} data-testid="holiday-row">
                    <td class="nowrap strong">{dayText(h.day)}</td>
                    <td>{h.name}</td>
                    <td>
                      <span class={`hh-badge ${h.kind === 'holiday' ? 'hh-badge--red' : 'hh-badge--green'}`}>{t(`hol_kind_${h.kind}`)}</span>
                    </td>
                    {canEdit ? (
                      <td class="actions">
                        <Button size="sm" variant="secondary" onClick={() => setDeleting(h)}>
                          {t('delete')}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="admin-empty">{t('hol_empty', { year: shown })}</p>
          )
        }
      </Loading>
      {adding ? (
        <HolidayDialog
          year={shown}
          onClose={() => setAdding(false)}
          onSaved={(h) => {
            setAdding(false);
            setFlash(t('hol_saved', { name: h.name }));
            const y = Number(h.day.slice(0, 4));
            if (y !== shown) setYear(y);
            else holidays.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <Dialog
          title={t('delete')}
          error={action.error}
          busy={action.busy}
          onCancel={() => setDeleting(null)}
          onSubmit={() => void remove(deleting)}
          submitLabel={t('delete')}
          submitVariant="danger"
          testId="holiday-delete"
        >
          <p>{t('hol_deleteConfirm', { name: deleting.name, day: dayText(deleting.day) })}</p>
        </Dialog>
      ) : null}
    </section>
  );
}
