import { useState } from 'preact/hooks';
import type { Department, Service } from '../../../protocol/index.js';
import { Button, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { Dialog, Field, Flash, Loading, SectionHead, changed, useAction, useReloadKey, type SectionProps } from './parts.js';

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
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  return (
    <section class="admin-section" data-testid="section-departments">
      <SectionHead title={t('dept_title')} hint={t('dept_hint')}>
        {canEdit ? (
          <Button onClick={() => setEditing('new')} data-testid="add-department">
            + {t('dept_add')}
          </Button>
        ) : null}
      </SectionHead>
      <Flash text={flash} onClose={() => setFlash(null)} />
      <Loading load={departments}>
        {(rows) =>
          rows.length ? (
            <table class="admin-table hh-card">
              <thead>
                <tr>
                  <th>{t('name')}</th>
                  <th>{t('nameEn')}</th>
                  <th class="num">{t('dept_services')}</th>
                  {canEdit ? <th class="actions">{t('actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id} data-testid="department-row">
                    <td class="strong">{d.name}</td>
                    <td>{d.nameEn ?? t('none')}</td>
                    <td class="num">{services.data?.filter((s) => s.departmentId === d.id).length ?? ''}</td>
                    {canEdit ? (
                      <td class="actions">
                        <Button size="sm" variant="secondary" onClick={() => setEditing(d)}>
                          {t('edit')}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="admin-empty">{t('empty')}</p>
          )
        }
      </Loading>
      {editing ? (
        <DepartmentDialog
          initial={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(d) => {
            setEditing(null);
            setFlash(t('dept_saved', { name: d.name }));
            departments.reload();
          }}
        />
      ) : null}
    </section>
  );
}
