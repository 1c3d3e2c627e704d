import { useState } from 'preact/hooks';
import type { CreateProcedureBody, Department, Procedure, Service } from '../../../protocol/index.js';
import { localized, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { AddButton, AdminTable, Dialog, Field, Flash, SectionHead, intOf, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

const money = (n: number) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;

function ProcedureDialog(p: { departments: Department[]; services: Service[]; onClose: () => void; onSaved: (x: Procedure) => void }) {
  const [name, setName] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [days, setDays] = useState('3');
  const [fee, setFee] = useState('0');
  const action = useAction();

  async function submit() {
    if (name.trim().length < 2) return action.setError(t('required', { field: t('proc_nameField') }));
    const d = intOf(days, 0, 365);
    if (d === null) return action.setError(t('mustBeInt', { field: t('proc_days'), min: 0, max: 365 }));
    const f = intOf(fee, 0, 10_000_000_000);
    if (f === null) return action.setError(t('mustBeInt', { field: t('proc_fee'), min: 0, max: '10.000.000.000' }));
    const body: CreateProcedureBody = { name: name.trim(), processingDays: d, fee: f };
    if (nameEn.trim()) body.nameEn = nameEn.trim();
    if (departmentId) body.departmentId = Number(departmentId);
    if (serviceId) body.serviceId = Number(serviceId);
    const saved = await action.run(() => api.post<Procedure>('/procedures', body));
    if (saved) p.onSaved(saved);
  }

  return (
    <Dialog title={t('proc_new')} error={action.error} busy={action.busy} onCancel={p.onClose} onSubmit={() => void submit()} wide testId="procedure-dialog">
      <div class="admin-grid">
        <Field label={t('proc_name')} wide>
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={300} autoFocus />
        </Field>
        <Field label={`${t('nameEn')} ${t('optional')}`} wide>
          <input name="nameEn" value={nameEn} onInput={(e) => setNameEn(e.currentTarget.value)} maxLength={300} />
        </Field>
        <Field label={t('proc_department')}>
          <select name="departmentId" value={departmentId} onChange={(e) => setDepartmentId(e.currentTarget.value)}>
            <option value="">{t('svc_noDepartment')}</option>
            {p.departments.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {localized(d.name, d.nameEn)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('proc_service')}>
          <select name="serviceId" value={serviceId} onChange={(e) => setServiceId(e.currentTarget.value)}>
            <option value="">{t('proc_noService')}</option>
            {p.services.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {localized(s.name, s.nameEn)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('proc_days')}>
          <input name="processingDays" type="number" inputMode="numeric" min={0} max={365} value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        </Field>
        <Field label={t('proc_fee')}>
          <input name="fee" type="number" inputMode="numeric" min={0} step={1000} value={fee} onInput={(e) => setFee(e.currentTarget.value)} />
        </Field>
      </div>
    </Dialog>
  );
}

export function ProceduresSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const procedures = useLoad(() => api.get<Procedure[]>('/procedures'), [reloadKey]);
  const departments = useLoad(() => api.get<Department[]>('/departments'), [reloadKey]);
  const services = useLoad(() => api.get<Service[]>('/services'), [reloadKey]);
  const flash = useFlash();
  const adder = useEditor(flash);
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, localized(s.name, s.nameEn)]));

  return (
    <section class="admin-section" data-testid="section-procedures">
      <SectionHead title={t('proc_title')} hint={t('proc_hint')}>
        {canEdit ? <AddButton label={t('proc_add')} testId="add-procedure" onClick={() => adder.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      {canEdit ? <p class="admin-note">{t('proc_noEdit')}</p> : null}
      <AdminTable
        load={procedures}
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
            <td>
              <span class={`hh-badge ${x.active ? 'hh-badge--green' : 'hh-badge--gray'}`}>{x.active ? t('proc_active') : t('proc_inactive')}</span>
            </td>
          </tr>
        )}
      />
      {adder.editing ? (
        <ProcedureDialog
          departments={departments.data ?? []}
          services={services.data ?? []}
          onClose={adder.close}
          onSaved={(x) => adder.done(t('proc_saved', { name: x.name }), procedures.reload)}
        />
      ) : null}
    </section>
  );
}
