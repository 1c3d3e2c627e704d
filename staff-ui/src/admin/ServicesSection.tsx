import { useState } from 'preact/hooks';
import type { CreateServiceBody, Department, Service, UpdateServiceBody } from '../../../protocol/index.js';
import { localized, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { ActionCell, AddButton, AdminTable, Dialog, Field, Flash, SectionHead, changed, intOf, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

/** The printed number of the `seq`-th ticket, as the hub formats it (A001, or 1001 for a range). */
function numberOf(prefix: string, start: number, end: number, seq = 1): string {
  const value = start + seq - 1;
  return prefix ? prefix + String(value).padStart(Math.max(3, String(end).length), '0') : String(value);
}

interface Form {
  name: string;
  nameEn: string;
  departmentId: string;
  prefix: string;
  numberStart: string;
  numberEnd: string;
  minutes: string;
  active: boolean;
}

function ServiceDialog(p: { initial: Service | null; departments: Department[]; onClose: () => void; onSaved: (s: Service) => void }) {
  const s = p.initial;
  const [f, setF] = useState<Form>({
    name: s?.name ?? '',
    nameEn: s?.nameEn ?? '',
    departmentId: s?.departmentId ? String(s.departmentId) : '',
    prefix: s?.prefix ?? '',
    numberStart: String(s?.numberStart ?? 1),
    numberEnd: String(s?.numberEnd ?? 999),
    minutes: String(s?.defaultServiceMinutes ?? 5),
    active: s?.active ?? true,
  });
  const action = useAction();
  const set = (key: keyof Form) => (e: Event) => setF({ ...f, [key]: (e.currentTarget as HTMLInputElement).value });

  const start = intOf(f.numberStart, 0, 99999);
  const end = intOf(f.numberEnd, 1, 99999);
  const preview = start !== null && end !== null && end >= start && /^[A-Z]{0,3}$/.test(f.prefix) ? numberOf(f.prefix, start, end) : null;

  async function submit() {
    if (!f.name.trim()) return action.setError(t('required', { field: t('svc_name') }));
    if (!/^[A-Z]{0,3}$/.test(f.prefix)) return action.setError(t('badPrefix'));
    if (start === null) return action.setError(t('mustBeInt', { field: t('svc_numberStart'), min: 0, max: 99999 }));
    if (end === null) return action.setError(t('mustBeInt', { field: t('svc_numberEnd'), min: 1, max: 99999 }));
    if (end < start) return action.setError(t('badRange'));
    const minutes = intOf(f.minutes, 1, 240);
    if (minutes === null) return action.setError(t('mustBeInt', { field: t('svc_minutes'), min: 1, max: 240 }));
    const departmentId = f.departmentId ? Number(f.departmentId) : null;
    const next = { name: f.name.trim(), nameEn: f.nameEn.trim(), prefix: f.prefix, numberStart: start, numberEnd: end, departmentId, defaultServiceMinutes: minutes, active: f.active };
    let saved: Service | undefined;
    if (s) {
      const diff: UpdateServiceBody = changed(
        { name: s.name, nameEn: s.nameEn ?? '', prefix: s.prefix, numberStart: s.numberStart, numberEnd: s.numberEnd, departmentId: s.departmentId, defaultServiceMinutes: s.defaultServiceMinutes, active: s.active },
        next,
      );
      if (!Object.keys(diff).length) return p.onSaved(s);
      saved = await action.run(() => api.patch<Service>(`/services/${s.id}`, diff));
    } else {
      const body: CreateServiceBody = { name: next.name, prefix: next.prefix, numberStart: start, numberEnd: end, defaultServiceMinutes: minutes, active: next.active };
      if (next.nameEn) body.nameEn = next.nameEn;
      if (departmentId !== null) body.departmentId = departmentId;
      saved = await action.run(() => api.post<Service>('/services', body));
    }
    if (saved) p.onSaved(saved);
  }

  return (
    <Dialog title={s ? t('svc_edit') : t('svc_new')} error={action.error} busy={action.busy} onCancel={p.onClose} onSubmit={() => void submit()} wide testId="service-dialog">
      <div class="admin-grid">
        <Field label={t('name')} wide>
          <input name="name" value={f.name} onInput={set('name')} maxLength={200} autoFocus />
        </Field>
        <Field label={`${t('nameEn')} ${t('optional')}`} wide>
          <input name="nameEn" value={f.nameEn} onInput={set('nameEn')} maxLength={200} />
        </Field>
        <Field label={t('svc_department')} wide>
          <select name="departmentId" value={f.departmentId} onChange={set('departmentId')}>
            <option value="">{t('svc_noDepartment')}</option>
            {p.departments.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {localized(d.name, d.nameEn)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('svc_prefix')} hint={t('svc_prefix_hint')}>
          <input
            name="prefix"
            value={f.prefix}
            onInput={(e) => setF({ ...f, prefix: e.currentTarget.value.toUpperCase() })}
            maxLength={3}
            autoCapitalize="characters"
            spellcheck={false}
          />
        </Field>
        <Field label={t('svc_minutes')}>
          <input name="defaultServiceMinutes" type="number" inputMode="numeric" min={1} max={240} value={f.minutes} onInput={set('minutes')} />
        </Field>
        <Field label={t('svc_numberStart')}>
          <input name="numberStart" type="number" inputMode="numeric" min={0} max={99999} value={f.numberStart} onInput={set('numberStart')} />
        </Field>
        <Field label={t('svc_numberEnd')}>
          <input name="numberEnd" type="number" inputMode="numeric" min={1} max={99999} value={f.numberEnd} onInput={set('numberEnd')} />
        </Field>
      </div>
      {preview ? (
        <p class="admin-note" data-testid="service-preview">
          {t('svc_firstNumber', { number: preview })}
          {s ? ` ${t('svc_rangeChange')}` : ''}
        </p>
      ) : null}
      <label class="staff-check admin-check">
        <input type="checkbox" name="active" checked={f.active} onChange={(e) => setF({ ...f, active: e.currentTarget.checked })} />
        {t('svc_active')}
      </label>
    </Dialog>
  );
}

export function ServicesSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const services = useLoad(() => api.get<Service[]>('/services'), [reloadKey]);
  const departments = useLoad(() => api.get<Department[]>('/departments'), [reloadKey]);
  const flash = useFlash();
  const editor = useEditor<Service>(flash);
  const deptName = new Map((departments.data ?? []).map((d) => [d.id, localized(d.name, d.nameEn)]));

  return (
    <section class="admin-section" data-testid="section-services">
      <SectionHead title={t('svc_title')} hint={t('svc_hint')}>
        {canEdit ? <AddButton label={t('svc_add')} testId="add-service" onClick={() => editor.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      <AdminTable
        load={services}
        actions={canEdit}
        head={
          <>
            <th>{t('svc_numbers')}</th>
            <th>{t('name')}</th>
            <th>{t('svc_department')}</th>
            <th class="num">{t('svc_minutesShort')}</th>
            <th class="num">{t('svc_waiting')}</th>
            <th>{t('status')}</th>
          </>
        }
        row={(s) => (
          <tr key={s.id} data-testid="service-row" class={s.active ? '' : 'is-muted'}>
            <td class="hh-num strong nowrap">
              {numberOf(s.prefix, s.numberStart, s.numberEnd)}–{numberOf(s.prefix, s.numberStart, s.numberEnd, s.numberEnd - s.numberStart + 1)}
            </td>
            <td>
              <div class="strong">{localized(s.name, s.nameEn)}</div>
            </td>
            <td>{s.departmentId ? (deptName.get(s.departmentId) ?? `#${s.departmentId}`) : t('none')}</td>
            <td class="num">{s.defaultServiceMinutes}</td>
            <td class="num">{s.waiting ?? 0}</td>
            <td>
              <span class={`hh-badge ${s.active ? 'hh-badge--green' : 'hh-badge--gray'}`}>{s.active ? t('svc_activeShort') : t('svc_inactiveShort')}</span>
            </td>
            <ActionCell canEdit={canEdit} onClick={() => editor.open(s)} />
          </tr>
        )}
      />
      {editor.editing ? (
        <ServiceDialog
          initial={editor.record}
          departments={departments.data ?? []}
          onClose={editor.close}
          onSaved={(s) => editor.done(t('svc_saved', { name: s.name }), services.reload)}
        />
      ) : null}
    </section>
  );
}
