import { useEffect, useState } from 'preact/hooks';
import type { CreateProcedureBody, Department, Procedure, Service, UpdateProcedureBody } from '../../../protocol/index.js';
import { localized, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { CatalogueImport } from './CatalogueImport.js';
import {
  ActionCell,
  AddButton,
  AdminTable,
  Dialog,
  ErrorLine,
  Field,
  Flash,
  SectionHead,
  changed,
  intOf,
  useAction,
  useEditor,
  useFlash,
  useReloadKey,
  type SectionProps,
} from './parts.js';

const money = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;
const MAX_FEE = 10_000_000_000;

interface Form {
  name: string;
  nameEn: string;
  departmentId: string;
  serviceId: string;
  days: string;
  fee: string;
  active: boolean;
}

/** Creates a procedure (`initial` null) or edits one: only the fields that changed are sent. */
function ProcedureDialog(p: { initial: Procedure | null; departments: Department[]; services: Service[]; onClose: () => void; onSaved: (x: Procedure) => void }) {
  const x = p.initial;
  const [f, setF] = useState<Form>({
    name: x?.name ?? '',
    nameEn: x?.nameEn ?? '',
    departmentId: x?.departmentId ? String(x.departmentId) : '',
    serviceId: x?.serviceId ? String(x.serviceId) : '',
    days: String(x?.processingDays ?? 3),
    fee: String(x?.fee ?? 0),
    active: x?.active ?? true,
  });
  const action = useAction();
  const set = (key: keyof Form) => (e: Event) => setF({ ...f, [key]: (e.currentTarget as HTMLInputElement).value });

  async function submit() {
    if (f.name.trim().length < 2) return action.setError(t('required', { field: t('proc_nameField') }));
    const days = intOf(f.days, 0, 365);
    if (days === null) return action.setError(t('mustBeInt', { field: t('proc_days'), min: 0, max: 365 }));
    const fee = intOf(f.fee, 0, MAX_FEE);
    if (fee === null) return action.setError(t('mustBeInt', { field: t('proc_fee'), min: 0, max: new Intl.NumberFormat('vi-VN').format(MAX_FEE) }));
    const departmentId = f.departmentId ? Number(f.departmentId) : null;
    const serviceId = f.serviceId ? Number(f.serviceId) : null;
    const next = { name: f.name.trim(), nameEn: f.nameEn.trim(), departmentId, serviceId, processingDays: days, fee, active: f.active };
    let saved: Procedure | undefined;
    if (x) {
      const diff: UpdateProcedureBody = changed(
        { name: x.name, nameEn: x.nameEn ?? '', departmentId: x.departmentId, serviceId: x.serviceId, processingDays: x.processingDays, fee: x.fee, active: x.active },
        next,
      );
      if (!Object.keys(diff).length) return p.onSaved(x);
      saved = await action.run(() => api.patch<Procedure>(`/procedures/${x.id}`, diff));
    } else {
      const body: CreateProcedureBody = { name: next.name, processingDays: days, fee, active: next.active };
      if (next.nameEn) body.nameEn = next.nameEn;
      if (departmentId !== null) body.departmentId = departmentId;
      if (serviceId !== null) body.serviceId = serviceId;
      saved = await action.run(() => api.post<Procedure>('/procedures', body));
    }
    if (saved) p.onSaved(saved);
  }

  return (
    <Dialog title={x ? t('proc_edit') : t('proc_new')} error={action.error} busy={action.busy} onCancel={p.onClose} onSubmit={() => void submit()} wide testId="procedure-dialog">
      <div class="admin-grid">
        <Field label={t('proc_name')} wide>
          <input name="name" value={f.name} onInput={set('name')} maxLength={300} autoFocus />
        </Field>
        <Field label={`${t('nameEn')} ${t('optional')}`} wide>
          <input name="nameEn" value={f.nameEn} onInput={set('nameEn')} maxLength={300} />
        </Field>
        <Field label={t('proc_department')}>
          <select name="departmentId" value={f.departmentId} onChange={set('departmentId')}>
            <option value="">{t('svc_noDepartment')}</option>
            {p.departments.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {localized(d.name, d.nameEn)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('proc_service')}>
          <select name="serviceId" value={f.serviceId} onChange={set('serviceId')}>
            <option value="">{t('proc_noService')}</option>
            {p.services.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {localized(s.name, s.nameEn)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('proc_days')} hint={x ? t('proc_daysHint') : null}>
          <input name="processingDays" type="number" inputMode="numeric" min={0} max={365} value={f.days} onInput={set('days')} />
        </Field>
        <Field label={t('proc_fee')}>
          <input name="fee" type="number" inputMode="numeric" min={0} step={1000} value={f.fee} onInput={set('fee')} />
        </Field>
      </div>
      <label class="staff-check admin-check">
        <input type="checkbox" name="active" checked={f.active} onChange={(e) => setF({ ...f, active: e.currentTarget.checked })} />
        {t('proc_activeField')}
      </label>
    </Dialog>
  );
}

/**
 * The status of a row: a badge, and for admins the switch that stops or resumes receiving the procedure.
 * `active` is what the switch shows: the procedure's state, or the one asked for while it is being saved.
 */
function ActiveCell({ x, active, canEdit, busy, onToggle }: { x: Procedure; active: boolean; canEdit: boolean; busy: boolean; onToggle: (x: Procedure) => void }) {
  const badge = <span class={`hh-badge ${x.active ? 'hh-badge--green' : 'hh-badge--gray'}`}>{x.active ? t('proc_active') : t('proc_inactive')}</span>;
  if (!canEdit) return <td>{badge}</td>;
  return (
    <td>
      <label class="staff-check admin-check nowrap">
        <input
          type="checkbox"
          role="switch"
          checked={active}
          disabled={busy}
          onChange={() => onToggle(x)}
          aria-label={t('proc_switch', { name: x.name })}
          data-testid="procedure-active"
        />
        {badge}
      </label>
    </td>
  );
}

export function ProceduresSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const procedures = useLoad(() => api.get<Procedure[]>('/procedures'), [reloadKey]);
  const departments = useLoad(() => api.get<Department[]>('/departments'), [reloadKey]);
  const services = useLoad(() => api.get<Service[]>('/services'), [reloadKey]);
  const flash = useFlash();
  const editor = useEditor<Procedure>(flash);
  const toggling = useAction();
  // The switch being saved shows the state asked for until the list has re-read it (or the change was refused).
  const [switching, setSwitching] = useState<{ id: number; active: boolean } | null>(null);
  useEffect(() => setSwitching(null), [procedures.data]);
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, localized(s.name, s.nameEn)]));

  async function toggle(x: Procedure) {
    flash.show(null);
    setSwitching({ id: x.id, active: !x.active });
    const saved = await toggling.run(() => api.patch<Procedure>(`/procedures/${x.id}`, { active: !x.active }));
    if (!saved) return setSwitching(null);
    flash.show(t(saved.active ? 'proc_switchedOn' : 'proc_switchedOff', { name: saved.name }));
    procedures.reload();
  }

  return (
    <section class="admin-section" data-testid="section-procedures">
      <SectionHead title={t('proc_title')} hint={t('proc_hint')}>
        {canEdit ? <AddButton label={t('proc_add')} testId="add-procedure" onClick={() => editor.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      {canEdit ? <CatalogueImport onDone={procedures.reload} /> : null}
      <ErrorLine error={toggling.error} />
      <AdminTable
        load={procedures}
        actions={canEdit}
        head={
          <>
            <th>{t('proc_name')}</th>
            <th>{t('proc_department')}</th>
            <th>{t('proc_service')}</th>
            <th class="num">{t('proc_daysShort')}</th>
            <th class="num">{t('proc_fee')}</th>
            <th>{t('status')}</th>
          </>
        }
        row={(x) => (
          <tr key={x.id} data-testid="procedure-row" class={x.active ? '' : 'is-muted'}>
            <td class="strong">{localized(x.name, x.nameEn)}</td>
            <td>{x.departmentName ?? t('none')}</td>
            <td>{x.serviceId ? (serviceName.get(x.serviceId) ?? `#${x.serviceId}`) : t('none')}</td>
            <td class="num nowrap">{x.processingDays === 0 ? t('proc_sameDay') : t('proc_daysValue', { n: x.processingDays })}</td>
            <td class="num nowrap">{x.fee === 0 ? t('proc_free') : money(x.fee)}</td>
            <ActiveCell x={x} active={switching?.id === x.id ? switching.active : x.active} canEdit={canEdit} busy={toggling.busy} onToggle={(y) => void toggle(y)} />
            <ActionCell canEdit={canEdit} onClick={() => editor.open(x)} />
          </tr>
        )}
      />
      {editor.editing ? (
        <ProcedureDialog
          initial={editor.record}
          departments={departments.data ?? []}
          services={services.data ?? []}
          onClose={editor.close}
          onSaved={(x) => editor.done(t(editor.record ? 'proc_updated' : 'proc_saved', { name: x.name }), procedures.reload)}
        />
      ) : null}
    </section>
  );
}
