import { useEffect, useRef, useState } from 'preact/hooks';
import type { Counter, CreateDeviceBody, CreateDeviceReply, Device, DeviceKind, PatchDeviceBody } from '../../../protocol/index.js';
import { Button, QrCode, formatDate, formatTime, useHubEvent, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { AddButton, AdminTable, ConfirmDialog, Dialog, Field, Flash, SectionHead, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

const KINDS: readonly DeviceKind[] = ['kiosk', 'display', 'tablet', 'lookup', 'agent'];
const PRINTER = /^(tcp:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?|\/dev\/[A-Za-z0-9._/-]+|sim|agent(:[0-9]{1,10})?)(\?[A-Za-z0-9=&._-]{0,100})?$/;
/** Device kinds that print (a kiosk its tickets, a counter's tablet or agent the receipts). */
const PRINTS: ReadonlySet<DeviceKind> = new Set(['kiosk', 'tablet', 'agent']);

interface Created extends CreateDeviceReply {
  name: string;
  kind: DeviceKind;
  printer: string | null;
}

function CreateDialog({ counters, onClose, onCreated }: { counters: Counter[]; onClose: () => void; onCreated: (c: Created) => void }) {
  const [kind, setKind] = useState<DeviceKind>('display');
  const [name, setName] = useState('');
  const [counterId, setCounterId] = useState('');
  const [printer, setPrinter] = useState('');
  const action = useAction();

  async function submit() {
    if (!name.trim()) return action.setError(t('required', { field: t('dev_nameField') }));
    if (kind === 'tablet' && !counterId) return action.setError(t('dev_counterRequired'));
    const p = printer.trim();
    if (p && PRINTS.has(kind) && !PRINTER.test(p)) return action.setError(t('badPrinter'));
    const body: CreateDeviceBody = { kind, name: name.trim() };
    if (counterId && kind !== 'display' && kind !== 'kiosk') body.counterId = Number(counterId);
    if (p && PRINTS.has(kind)) body.printer = p;
    const r = await action.run(() => api.post<CreateDeviceReply>('/devices', body));
    if (r) onCreated({ ...r, name: body.name, kind, printer: body.printer ?? null });
  }

  return (
    <Dialog title={t('dev_new')} error={action.error} busy={action.busy} onCancel={onClose} onSubmit={() => void submit()} wide testId="device-dialog">
      <fieldset class="admin-fieldset">
        <legend>{t('dev_kind')}</legend>
        <div class="admin-kinds">
          {KINDS.map((k) => (
            <label key={k} class={`admin-checkcard${kind === k ? ' is-on' : ''}`}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              <span>
                <strong>{t(`dev_kind_${k}`)}</strong>
                <small>{t(`dev_kindHint_${k}`)}</small>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="admin-grid">
        <Field label={t('dev_name')} wide>
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={120} />
        </Field>
        {PAIRS.has(kind) ? (
          <Field label={kind === 'tablet' ? t('dev_counter') : `${t('dev_counter')} ${t('optional')}`}>
            <CounterSelect counters={counters} value={counterId} optional onChange={setCounterId} />
          </Field>
        ) : null}
        {PRINTS.has(kind) ? (
          <Field label={`${t('dev_printer')} ${t('optional')}`} hint={t('dev_printer_hint')} wide>
            <input name="printer" value={printer} onInput={(e) => setPrinter(e.currentTarget.value)} maxLength={200} spellcheck={false} placeholder="tcp://192.168.1.50:9100" />
          </Field>
        ) : null}
      </div>
    </Dialog>
  );
}

const PAIRS: ReadonlySet<DeviceKind> = new Set(['tablet', 'agent', 'lookup']);

function CounterSelect({ counters, value, optional, onChange }: { counters: Counter[]; value: string; optional: boolean; onChange: (v: string) => void }) {
  return (
    <select name="counterId" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      {optional ? <option value="">{t('dev_noCounter')}</option> : null}
      {[...counters]
        .sort((a, b) => a.number - b.number)
        .map((c) => (
          <option key={c.id} value={String(c.id)}>
            {c.name}
          </option>
        ))}
    </select>
  );
}

/** Renames a device, pairs it with another counter or changes its printer, keeping its token. */
function EditDialog({ device, counters, onClose, onSaved }: { device: Device; counters: Counter[]; onClose: () => void; onSaved: (name: string) => void }) {
  const [name, setName] = useState(device.name);
  const [counterId, setCounterId] = useState(device.counterId ? String(device.counterId) : '');
  const [printer, setPrinter] = useState(device.printer ?? '');
  const action = useAction();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);

  async function submit() {
    const errors: string[] = [];
    const p = printer.trim();
    if (!name.trim()) errors.push(t('required', { field: t('dev_nameField') }));
    if (device.kind === 'tablet' && !counterId) errors.push(t('dev_counterRequired'));
    if (p && !PRINTER.test(p)) errors.push(t('badPrinter'));
    if (errors.length) return action.setError(errors.join(' '));
    const body: PatchDeviceBody = {};
    if (name.trim() !== device.name) body.name = name.trim();
    const counter = counterId ? Number(counterId) : null;
    if (PAIRS.has(device.kind) && counter !== device.counterId) body.counterId = counter;
    if (PRINTS.has(device.kind) && (p || null) !== device.printer) body.printer = p || null;
    if (Object.keys(body).length === 0) return onClose();
    const r = await action.run(() => api.patch(`/devices/${device.id}`, body));
    if (r !== undefined) onSaved(body.name ?? device.name);
  }

  return (
    <Dialog title={t('dev_edit', { name: device.name })} error={action.error} busy={action.busy} onCancel={onClose} onSubmit={() => void submit()} wide testId="device-edit">
      <p class="admin-note">{t('dev_editHint')}</p>
      <div class="admin-grid">
        <Field label={t('dev_name')} wide>
          <input ref={ref} name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={120} />
        </Field>
        {PAIRS.has(device.kind) ? (
          <Field label={device.kind === 'tablet' ? t('dev_counter') : `${t('dev_counter')} ${t('optional')}`}>
            <CounterSelect counters={counters} value={counterId} optional={device.kind !== 'tablet'} onChange={setCounterId} />
          </Field>
        ) : null}
        {PRINTS.has(device.kind) ? (
          <Field label={`${t('dev_printer')} ${t('optional')}`} hint={t('dev_printer_hint')} wide>
            <input name="printer" value={printer} onInput={(e) => setPrinter(e.currentTarget.value)} maxLength={200} spellcheck={false} placeholder="tcp://192.168.1.50:9100" />
          </Field>
        ) : null}
      </div>
    </Dialog>
  );
}

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      ref.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  }
  return (
    <Field label={label} wide>
      <span class="admin-copy">
        <textarea ref={ref} readOnly value={value} rows={value.length > 60 ? 2 : 1} data-testid={testId} onFocus={(e) => e.currentTarget.select()} spellcheck={false} />
        <Button size="sm" variant="secondary" onClick={() => void copy()}>
          {copied ? t('dev_copied') : t('dev_copy')}
        </Button>
      </span>
    </Field>
  );
}

/** Shown once after a device is created: its address with the token, as text and QR code. */
function TokenDialog({ created, onClose }: { created: Created; onClose: () => void }) {
  const command = `npm run agent -- --hub ${window.location.origin} --token ${created.token} --printer ${created.printer ?? 'sim'}`;
  return (
    <Dialog
      title={t('dev_tokenTitle', { name: created.name })}
      error={null}
      busy={false}
      onCancel={onClose}
      wide
      testId="device-token"
      footer={
        <Button variant="success" onClick={onClose} data-testid="device-token-done">
          {t('dev_done')}
        </Button>
      }
    >
      <p class="hh-alert hh-alert--warning">{t('dev_tokenOnce')}</p>
      <div class="admin-token">
        <div class="admin-token__fields">
          {created.url ? <CopyField label={t('dev_url')} value={created.url} testId="device-url" /> : <CopyField label={t('dev_agentCommand')} value={command} testId="device-command" />}
          <CopyField label={t('dev_token')} value={created.token} testId="device-token-value" />
        </div>
        {created.url ? <QrCode value={created.url} size={200} label={t('dev_url')} /> : null}
      </div>
    </Dialog>
  );
}

function healthCell(d: Device, timeZone?: string) {
  if (d.revoked) return <span class="hh-badge hh-badge--gray">{t('dev_revoked')}</span>;
  const seen = d.health.lastSeenAt;
  return (
    <div class="admin-health">
      <span class={`hh-badge ${d.health.online ? 'hh-badge--green' : 'hh-badge--red'}`}>{d.health.online ? t('dev_online') : t('dev_offline')}</span>
      {d.health.faults.map((f) => (
        <span key={f.code} class="hh-badge hh-badge--amber" title={f.code}>
          {f.message}
        </span>
      ))}
      <small>{seen ? t('dev_lastSeen', { time: `${formatTime(seen, { timeZone })} ${formatDate(seen, { timeZone })}` }) : t('dev_never')}</small>
    </div>
  );
}

export function DevicesSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const load = useLoad(() => api.get<Device[]>('/devices'), [reloadKey]);
  const counters = useLoad(() => api.get<Counter[]>('/counters'), [reloadKey]);
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const flash = useFlash();
  const creator = useEditor(flash);
  const revoking = useEditor<Device>(flash);
  const editing = useEditor<Device>(flash);
  const revokeAction = useAction();

  useEffect(() => {
    if (load.data) setDevices(load.data);
  }, [load.data]);
  // online windows end without an event when a device just stops: refresh now and then too
  useEffect(() => {
    const timer = setInterval(() => load.reload(), 30_000);
    return () => clearInterval(timer);
  }, []);
  useHubEvent('device:health', (e) => {
    if (e.deviceId === null) return;
    setDevices((list) =>
      list ? list.map((d) => (d.id === e.deviceId ? { ...d, health: { online: e.online, faults: e.faults, lastSeenAt: e.online ? e.at : d.health.lastSeenAt } } : d)) : list,
    );
  });

  const counterName = new Map((counters.data ?? []).map((c) => [c.id, c.name]));
  const rows = devices ? devices.filter((d) => showRevoked || !d.revoked) : null;

  async function revoke(d: Device) {
    const ok = await revokeAction.run(() => api.delete(`/devices/${d.id}`));
    if (ok !== undefined) revoking.done(t('dev_revokedDone', { name: d.name }), load.reload);
  }
  const toRevoke = revoking.record;

  return (
    <section class="admin-section" data-testid="section-devices">
      <SectionHead title={t('dev_title')} hint={t('dev_hint')}>
        <label class="staff-check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
          {t('dev_showRevoked')}
        </label>
        {canEdit ? <AddButton label={t('dev_add')} testId="add-device" onClick={() => creator.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      <AdminTable
        load={{ ...load, data: rows }}
        actions={canEdit}
        head={
          <>
            <th>{t('dev_name')}</th>
            <th>{t('dev_kind')}</th>
            <th>{t('dev_counter')}</th>
            <th>{t('dev_printer')}</th>
            <th>{t('dev_health')}</th>
            <th>{t('dev_created')}</th>
          </>
        }
        row={(d) => (
          <tr key={d.id} data-testid="device-row" data-device-id={d.id} class={d.revoked ? 'is-muted' : ''}>
            <td class="strong">{d.name}</td>
            <td>{t(`dev_kind_${d.kind}`)}</td>
            <td>{d.counterId ? (counterName.get(d.counterId) ?? `#${d.counterId}`) : t('none')}</td>
            <td class="mono">{d.printer ?? t('none')}</td>
            <td>{healthCell(d)}</td>
            <td class="nowrap">{formatDate(d.createdAt)}</td>
            {canEdit ? (
              <td class="actions">
                {d.revoked ? null : (
                  <>
                    <Button size="sm" variant="secondary" onClick={() => editing.open(d)} data-testid="device-edit-open">
                      {t('edit')}
                    </Button>{' '}
                    <Button size="sm" variant="danger" onClick={() => revoking.open(d)}>
                      {t('dev_revoke')}
                    </Button>
                  </>
                )}
              </td>
            ) : null}
          </tr>
        )}
      />
      {creator.editing ? (
        <CreateDialog
          counters={counters.data ?? []}
          onClose={creator.close}
          onCreated={(c) => {
            creator.close();
            setCreated(c);
            load.reload();
          }}
        />
      ) : null}
      {editing.record ? (
        <EditDialog
          device={editing.record}
          counters={counters.data ?? []}
          onClose={editing.close}
          onSaved={(name) => editing.done(t('dev_saved', { name }), load.reload)}
        />
      ) : null}
      {created ? <TokenDialog created={created} onClose={() => setCreated(null)} /> : null}
      {toRevoke ? (
        <ConfirmDialog title={t('dev_revoke')} action={revokeAction} onCancel={revoking.close} onConfirm={() => void revoke(toRevoke)} testId="device-revoke">
          {t('dev_revokeConfirm', { name: toRevoke.name })}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
