import { useState } from 'preact/hooks';
import type { CreateHolidayBody, Hall, Holiday, HolidayKind } from '../../../protocol/index.js';
import { Button, formatLongDate, lang, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { ActionCell, AddButton, AdminTable, ConfirmDialog, Dialog, ErrorLine, Field, Flash, SectionHead, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

/** A YYYY-MM-DD day as the hall reads it, with its weekday (noon UTC keeps the calendar day in any zone). */
const dayText = (day: string) => formatLongDate(new Date(`${day}T12:00:00Z`), lang.value, { timeZone: 'UTC' });

function HolidayDialog({ year, onClose, onSaved }: { year: number; onClose: () => void; onSaved: (h: Holiday) => void }) {
  const [day, setDay] = useState(`${year}-01-01`);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<HolidayKind>('holiday');
  const [provisional, setProvisional] = useState(false);
  const action = useAction();

  async function submit() {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return action.setError(t('hol_dayRequired'));
    if (!name.trim()) return action.setError(t('required', { field: t('hol_nameField') }));
    const body: CreateHolidayBody = { day, name: name.trim(), kind, ...(provisional ? { provisional } : {}) };
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
      <label class="admin-check">
        <input name="provisional" type="checkbox" checked={provisional} onChange={(e) => setProvisional(e.currentTarget.checked)} />
        <span>{t('hol_provisionalField')}</span>
      </label>
    </Dialog>
  );
}

export function HolidaysSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const hall = useLoad(() => api.get<Hall>('/hall'), [reloadKey]);
  const [year, setYear] = useState<number | null>(null);
  const shown = year ?? (hall.data ? Number(hall.data.day.slice(0, 4)) : new Date().getFullYear());
  const holidays = useLoad(() => api.get<Holiday[]>(`/holidays?year=${shown}`), [reloadKey, shown]);
  const flash = useFlash();
  const adder = useEditor(flash);
  const deleting = useEditor<Holiday>(flash);
  const action = useAction();

  async function loadDefaults() {
    const r = await action.run(() => api.post<{ added: number }>('/holidays/defaults', { years: [shown] }));
    if (r) {
      flash.show(t('hol_defaultsDone', { n: r.added, year: shown }));
      holidays.reload();
    }
  }

  async function remove(h: Holiday) {
    const r = await action.run(() => api.delete(`/holidays/${h.id}`));
    if (r !== undefined) deleting.done(t('hol_deleted', { name: h.name }), holidays.reload);
  }
  const toDelete = deleting.record;

  return (
    <section class="admin-section" data-testid="section-holidays">
      <SectionHead title={t('hol_title')} hint={t('hol_hint')}>
        {canEdit ? (
          <>
            <Button variant="secondary" onClick={() => void loadDefaults()} disabled={action.busy} data-testid="holiday-defaults">
              {t('hol_defaults', { year: shown })}
            </Button>
            <AddButton label={t('hol_add')} testId="add-holiday" onClick={() => adder.open('new')} />
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
      <Flash flash={flash} />
      {toDelete ? null : <ErrorLine error={action.error} />}
      <AdminTable
        load={holidays}
        actions={canEdit}
        empty={t('hol_empty', { year: shown })}
        head={
          <>
            <th>{t('hol_day')}</th>
            <th>{t('hol_name')}</th>
            <th>{t('hol_kind')}</th>
          </>
        }
        row={(h) => (
          <tr key={h.id} data-testid="holiday-row">
            <td class="nowrap strong">{dayText(h.day)}</td>
            <td>{h.name}</td>
            <td>
              <span class={`hh-badge ${h.kind === 'holiday' ? 'hh-badge--red' : 'hh-badge--green'}`}>{t(`hol_kind_${h.kind}`)}</span>
              {h.provisional ? (
                <span class="hh-badge hh-badge--amber" data-testid="holiday-provisional" title={t('hol_provisionalHint')}>
                  {t('hol_provisional')}
                </span>
              ) : null}
            </td>
            <ActionCell canEdit={canEdit} label={t('delete')} onClick={() => deleting.open(h)} />
          </tr>
        )}
      />
      {adder.editing ? (
        <HolidayDialog
          year={shown}
          onClose={adder.close}
          onSaved={(h) => {
            const y = Number(h.day.slice(0, 4));
            adder.done(t('hol_saved', { name: h.name }), y !== shown ? () => setYear(y) : holidays.reload);
          }}
        />
      ) : null}
      {toDelete ? (
        <ConfirmDialog title={t('delete')} action={action} onCancel={deleting.close} onConfirm={() => void remove(toDelete)} testId="holiday-delete">
          {t('hol_deleteConfirm', { name: toDelete.name, day: dayText(toDelete.day) })}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
