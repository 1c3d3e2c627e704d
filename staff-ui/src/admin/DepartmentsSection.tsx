import { useState } from 'preact/hooks';
import type { Department, Service } from '../../../protocol/index.js';
import { useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { ActionCell, AddButton, AdminTable, Dialog, Field, Flash, SectionHead, changed, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

function DepartmentDialog({ initial, onClose, onSaved }: { initial: Department | null; onClose: () => void; onSaved: (d: Department) => void }) {
  const [name, setName] = useState(initial?.name ?? '');
  const [nameEn, setNameEn] = useState(initial?.nameEn ?? '');
  const action = useAction();

  async function submit() {
    if (!name.trim()) return action.setError(t('required', { field: t('dept_name') }));
    const next = { name: name.trim(), nameEn: nameEn.trim() };
    const saved = initial
      ? await (async () => {
          const diff = changed({ name: initial.name, nameEn: initial.nameEn ?? '' }, next);
          if (!Object.keys(diff).length) return initial;
          return action.run(() => api.patch<Department>(`/departments/${initial.id}`, diff));
        })()
      : await action.run(() => api.post<Department>('/departments', next.nameEn ? next : { name: next.name }));
    if (saved) onSaved(saved);
  }

  return (
    <Dialog title={initial ? t('dept_edit') : t('dept_new')} error={action.error} busy={action.busy} onCancel={onClose} onSubmit={() => void submit()} testId="department-dialog">
      <Field label={t('name')}>
        <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} autoFocus />
      </Field>
      <Field label={`${t('nameEn')} ${t('optional')}`}>
        <input name="nameEn" value={nameEn} onInput={(e) => setNameEn(e.currentTarget.value)} maxLength={200} />
      </Field>
    </Dialog>
  );
}

export function DepartmentsSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const departments = useLoad(() => api.get<Department[]>('/departments'), [reloadKey]);
  const services = useLoad(() => api.get<Service[]>('/services'), [reloadKey]);
  const flash = useFlash();
  const editor = useEditor<Department>(flash);

  return (
    <section class="admin-section" data-testid="section-departments">
      <SectionHead title={t('dept_title')} hint={t('dept_hint')}>
        {canEdit ? <AddButton label={t('dept_add')} testId="add-department" onClick={() => editor.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      <AdminTable
        load={departments}
        actions={canEdit}
        head={
          <>
            <th>{t('name')}</th>
            <th>{t('nameEn')}</th>
            <th class="num">{t('dept_services')}</th>
          </>
        }
        row={(d) => (
          <tr key={d.id} data-testid="department-row">
            <td class="strong">{d.name}</td>
            <td>{d.nameEn ?? t('none')}</td>
            <td class="num">{services.data?.filter((s) => s.departmentId === d.id).length ?? ''}</td>
            <ActionCell canEdit={canEdit} onClick={() => editor.open(d)} />
          </tr>
        )}
      />
      {editor.editing ? (
        <DepartmentDialog initial={editor.record} onClose={editor.close} onSaved={(d) => editor.done(t('dept_saved', { name: d.name }), departments.reload)} />
      ) : null}
    </section>
  );
}
