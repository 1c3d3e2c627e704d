import { useEffect, useState } from 'preact/hooks';
import type { Counter, CreateCounterBody, Service, UpdateCounterBody } from '../../../protocol/index.js';
import { localized, useHubEvent, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { ActionCell, AddButton, AdminTable, Dialog, Field, Flash, SectionHead, changed, intOf, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

function statusBadge(c: Counter) {
  switch (c.status) {
    case 'open':
      return <span class="hh-badge hh-badge--green">{t('ctr_open')}</span>;
    case 'paused':
      return <span class="hh-badge hh-badge--amber">{t('ctr_paused')}</span>;
    case 'closed':
      return <span class="hh-badge hh-badge--gray">{t('ctr_closed')}</span>;
  }
}

function CounterDialog(p: { initial: Counter | null; services: Service[]; suggestedNumber: number; onClose: () => void; onSaved: (c: Counter) => void }) {
  const c = p.initial;
  const [number, setNumber] = useState(String(c?.number ?? p.suggestedNumber));
  const [name, setName] = useState(c?.name ?? '');
  const [serviceIds, setServiceIds] = useState<number[]>(c?.serviceIds ?? []);
  const action = useAction();

  const toggle = (id: number, on: boolean) => setServiceIds((ids) => (on ? [...ids.filter((x) => x !== id), id].sort((a, b) => a - b) : ids.filter((x) => x !== id)));

  async function submit() {
    const n = intOf(number, 1, 9999);
    if (n === null) return action.setError(t('mustBeInt', { field: t('ctr_number'), min: 1, max: 9999 }));
    if (!name.trim()) return action.setError(t('required', { field: t('ctr_nameField') }));
    if (!serviceIds.length) return action.setError(t('ctr_pickService'));
    const next = { number: n, name: name.trim(), serviceIds };
    let saved: Counter | undefined;
    if (c) {
      const diff: UpdateCounterBody = changed({ number: c.number, name: c.name, serviceIds: [...c.serviceIds].sort((a, b) => a - b) }, next);
      if (!Object.keys(diff).length) return p.onSaved(c);
      saved = await action.run(() => api.patch<Counter>(`/counters/${c.id}`, diff));
    } else {
      const body: CreateCounterBody = next;
      saved = await action.run(() => api.post<Counter>('/counters', body));
    }
    if (saved) p.onSaved(saved);
  }

  return (
    <Dialog title={c ? t('ctr_edit', { n: c.number }) : t('ctr_new')} error={action.error} busy={action.busy} onCancel={p.onClose} onSubmit={() => void submit()} wide testId="counter-dialog">
      {c && c.status !== 'closed' ? (
        <p class="hh-alert hh-alert--warning">{t('ctr_openNotice', { staff: c.staff?.name ?? t('none') })}</p>
      ) : null}
      <div class="admin-grid admin-grid--counter">
        <Field label={t('ctr_number')}>
          <input name="number" type="number" inputMode="numeric" min={1} max={9999} value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
        </Field>
        <Field label={t('ctr_name')}>
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={120} autoFocus />
        </Field>
      </div>
      <fieldset class="admin-fieldset">
        <legend>{t('ctr_services')}</legend>
        <div class="admin-checks">
          {p.services.map((s) => (
            <label key={s.id} class={`admin-checkcard${serviceIds.includes(s.id) ? ' is-on' : ''}`}>
              <input type="checkbox" name="serviceIds" value={String(s.id)} checked={serviceIds.includes(s.id)} onChange={(e) => toggle(s.id, e.currentTarget.checked)} />
              <span>
                <strong>{s.prefix || s.numberStart}</strong> {localized(s.name, s.nameEn)}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </Dialog>
  );
}

export function CountersSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const load = useLoad(() => api.get<Counter[]>('/counters'), [reloadKey]);
  const services = useLoad(() => api.get<Service[]>('/services'), [reloadKey]);
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const flash = useFlash();
  const editor = useEditor<Counter>(flash);

  useEffect(() => {
    if (load.data) setCounters(load.data);
  }, [load.data]);
  useHubEvent('counter:update', (c) => setCounters((list) => (list ? (list.some((x) => x.id === c.id) ? list.map((x) => (x.id === c.id ? c : x)) : [...list, c]) : list)));

  const names = new Map((services.data ?? []).map((s) => [s.id, localized(s.name, s.nameEn)]));
  const rows = counters ? [...counters].sort((a, b) => a.number - b.number) : null;

  return (
    <section class="admin-section" data-testid="section-counters">
      <SectionHead title={t('ctr_title')} hint={t('ctr_hint')}>
        {canEdit ? <AddButton label={t('ctr_add')} testId="add-counter" onClick={() => editor.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      <AdminTable
        load={{ ...load, data: rows }}
        actions={canEdit}
        head={
          <>
            <th class="num">{t('ctr_number')}</th>
            <th>{t('ctr_name')}</th>
            <th>{t('ctr_services')}</th>
            <th>{t('status')}</th>
            <th>{t('ctr_staff')}</th>
          </>
        }
        row={(c) => (
          <tr key={c.id} data-testid="counter-row" data-counter-number={c.number}>
            <td class="num hh-num big">{c.number}</td>
            <td class="strong">{c.name}</td>
            <td class="admin-services">{c.serviceIds.map((id) => names.get(id) ?? `#${id}`).join(', ')}</td>
            <td>{statusBadge(c)}</td>
            <td>{c.staff && c.status !== 'closed' ? c.staff.name : t('none')}</td>
            <ActionCell canEdit={canEdit} onClick={() => editor.open(c)} />
          </tr>
        )}
      />
      {editor.editing ? (
        <CounterDialog
          initial={editor.record}
          services={services.data ?? []}
          suggestedNumber={Math.max(0, ...(counters ?? []).map((c) => c.number)) + 1}
          onClose={editor.close}
          onSaved={(c) => editor.done(t('ctr_saved', { n: c.number, name: c.name }), load.reload)}
        />
      ) : null}
    </section>
  );
}
