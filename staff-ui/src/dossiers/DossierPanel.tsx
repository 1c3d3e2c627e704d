/**
 * The dossier panel of the counter console: receive a dossier for the citizen being served (linked to the ticket),
 * see the receipt's code and due date, follow today's dossiers of this counter, move them along and hand back results.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { DOSSIER_STATUS_LABELS, type DossierDetail, type DossierList, type DossierStatus, type DossierSummary, type Procedure } from '../../../protocol/dossiers.js';
import type { Counter, Ticket } from '../../../protocol/index.js';
import { Button, createApi, errorMessage, formatLongDate, formatTime, lang, useDebounced, useHubEvent, useLoad, useSocketStore } from '../../../ui-kit/index.js';
import { t } from './messages.js';
import './dossiers.css';

export interface DossierPanelProps {
  counterId: number;
  /** The ticket being served at this counter, if any. */
  ticketId: number | null;
  /** Bearer token of the signed-in staff member. */
  token: string;
}

/** A fallback: the list follows `dossier:update` live and also reloads after every reconnect. */
const REFRESH_MS = 120_000;

/** A request id for the hub's idempotency (a double click receives one dossier); works outside https too. */
function newEventId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `ui-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

const statusLabel = (s: DossierStatus) => DOSSIER_STATUS_LABELS[s][lang.value];
const money = (vnd: number) => (vnd === 0 ? t('free') : `${new Intl.NumberFormat('vi-VN').format(vnd)} đ`);
const due = (iso: string) => t('dueValue', { date: formatLongDate(iso, lang.value), time: formatTime(iso) });

const TONE: Record<DossierStatus, string> = {
  received: 'blue',
  processing: 'blue',
  supplement_required: 'amber',
  payment_required: 'amber',
  result_ready: 'green',
  returned: 'gray',
  rejected: 'red',
  withdrawn: 'gray',
  suspended: 'red',
};

type PrintState = { state: 'sent' } | { state: 'printed' } | { state: 'failed'; message: string };

export default function DossierPanel({ counterId, ticketId, token }: DossierPanelProps) {
  const api = useMemo(() => createApi({ token: () => token }), [token]);
  const [tab, setTab] = useState<'receive' | 'today'>('receive');
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const applySearch = useDebounced(() => setQuery(search.trim()), 300);
  useEffect(applySearch, [search]);

  const store = useSocketStore();
  const connections = store.connections.value;
  // Re-read when the set-up changes (`setup:update`): a procedure switched off is no longer offered.
  const reloads = store.reloads.value;
  const procedures = useLoad(() => api.get<Procedure[]>('/procedures?active=true'), [api, reloads]);
  const counter = useLoad(async () => (await api.get<Counter[]>('/counters')).find((c) => c.id === counterId) ?? null, [api, counterId, reloads]);
  const today = useLoad(
    () => api.get<DossierList>(`/dossiers?counterId=${counterId}&limit=200${query ? `&q=${encodeURIComponent(query)}` : ''}`),
    [api, counterId, tick, query, connections],
  );
  useEffect(() => {
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  const refreshSoon = useDebounced(refresh, 250);
  useHubEvent('dossier:update', (u) => {
    if (u.counterId === counterId || today.data?.items.some((d) => d.code === u.code)) refreshSoon();
  });

  const count = today.data?.items.length ?? 0;
  return (
    <section class="dp hh-card" data-testid="dossier-panel">
      <header class="dp-head">
        <h2 class="dp-head__title">{t('title')}</h2>
        <div class="dp-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'receive'} class={tab === 'receive' ? 'dp-tab is-active' : 'dp-tab'} onClick={() => setTab('receive')}>
            {t('tabReceive')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'today'} class={tab === 'today' ? 'dp-tab is-active' : 'dp-tab'} onClick={() => setTab('today')}>
            {t('tabToday', { n: count })}
          </button>
        </div>
      </header>
      {tab === 'receive' ? (
        <ReceiveForm api={api} procedures={procedures.data ?? []} serviceIds={counter.data?.serviceIds ?? []} ticketId={ticketId} onReceived={refresh} />
      ) : (
        <TodayList api={api} items={today.data?.items ?? []} error={today.error} search={search} setSearch={setSearch} onChanged={refresh} />
      )}
    </section>
  );
}

function ReceiveForm({
  api,
  procedures,
  serviceIds,
  ticketId,
  onReceived,
}: {
  api: ReturnType<typeof createApi>;
  procedures: Procedure[];
  serviceIds: number[];
  ticketId: number | null;
  onReceived: () => void;
}) {
  const [procedureId, setProcedureId] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [linkTicket, setLinkTicket] = useState(true);
  const [eventId, setEventId] = useState(newEventId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<DossierDetail | null>(null);
  const [print, setPrint] = useState<PrintState | null>(null);
  const ticket = useLoad(() => (ticketId ? api.get<Ticket>(`/tickets/${ticketId}`) : Promise.resolve(null)), [api, ticketId]);

  useHubEvent('print:status', (e) => {
    if (e.kind === 'receipt' && done && e.ref === done.code) setPrint(e.ok ? { state: 'printed' } : { state: 'failed', message: e.message });
  });

  const mine = procedures.filter((p) => p.serviceId !== null && serviceIds.includes(p.serviceId));
  const others = procedures.filter((p) => !mine.includes(p));
  const groups = new Map<string, Procedure[]>();
  for (const p of others) {
    const key = p.departmentName ?? t('otherDepartment');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const chosen = procedures.find((p) => p.id === procedureId) ?? null;
  const label = (p: Procedure) => (lang.value === 'en' && p.nameEn ? p.nameEn : p.name);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!chosen || !name.trim()) {
      setError(t('missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = {
        procedure: chosen.id,
        applicantName: name.trim(),
        ...(phone.trim() ? { applicantPhone: phone.trim() } : {}),
        ...(email.trim() ? { applicantEmail: email.trim() } : {}),
        ...(linkTicket && ticketId ? { ticketId } : {}),
        eventId,
      };
      const d = await api.post<DossierDetail>('/dossiers', body);
      setDone(d);
      setPrint({ state: 'sent' });
      onReceived();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setDone(null);
    setPrint(null);
    setName('');
    setPhone('');
    setEmail('');
    setProcedureId(null);
    setError(null);
    setEventId(newEventId());
  };

  if (done) {
    return (
      <div class="dp-done" data-testid="dossier-received" role="status">
        <div class="dp-done__title">✓ {t('received')}</div>
        <dl class="dp-done__facts">
          <div>
            <dt>{t('code')}</dt>
            <dd class="dp-done__code" data-testid="dossier-code">
              {done.code}
            </dd>
          </div>
          <div>
            <dt>{t('dueAt')}</dt>
            <dd data-testid="dossier-due">{due(done.dueAt)}</dd>
          </div>
          <div>
            <dt>{t('procedure')}</dt>
            <dd>{done.procedure}</dd>
          </div>
        </dl>
        <p class={print?.state === 'failed' ? 'dp-print is-failed' : 'dp-print'} data-testid="print-state">
          {print?.state === 'failed' ? t('printFailed', { message: print.message }) : print?.state === 'printed' ? t('printed') : t('printSent')}
        </p>
        <Button variant="secondary" onClick={reset}>
          {t('receiveAnother')}
        </Button>
      </div>
    );
  }

  return (
    <form class="dp-form" noValidate onSubmit={(e) => void submit(e)}>
      <label class="dp-field dp-field--wide">
        <span>{t('procedure')}</span>
        <select value={procedureId ?? ''} onChange={(e) => setProcedureId(Number(e.currentTarget.value) || null)} data-testid="procedure" required>
          <option value="">{t('chooseProcedure')}</option>
          {mine.length ? (
            <optgroup label={t('ofThisCounter')}>
              {mine.map((p) => (
                <option key={p.id} value={p.id}>
                  {label(p)}
                </option>
              ))}
            </optgroup>
          ) : null}
          {[...groups].map(([dept, list]) => (
            <optgroup key={dept} label={dept}>
              {list.map((p) => (
                <option key={p.id} value={p.id}>
                  {label(p)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {chosen ? (
          <small class="dp-hint">
            {t('procedureInfo', { days: chosen.processingDays === 0 ? t('sameDay') : t('workingDays', { n: chosen.processingDays }), fee: money(chosen.fee) })}
          </small>
        ) : null}
      </label>
      <label class="dp-field dp-field--wide">
        <span>{t('applicantName')}</span>
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={120} autoComplete="off" required data-testid="applicant-name" />
      </label>
      <label class="dp-field">
        <span>
          {t('applicantPhone')} <em>{t('optional')}</em>
        </span>
        <input value={phone} onInput={(e) => setPhone(e.currentTarget.value)} maxLength={20} inputMode="tel" autoComplete="off" data-testid="applicant-phone" />
      </label>
      <label class="dp-field">
        <span>
          {t('applicantEmail')} <em>{t('optional')}</em>
        </span>
        <input value={email} onInput={(e) => setEmail(e.currentTarget.value)} maxLength={254} type="email" autoComplete="off" data-testid="applicant-email" />
      </label>
      <p class="dp-hint dp-field--wide">{t('notifyHint')}</p>
      <div class="dp-field--wide">
        {ticketId && ticket.data ? (
          <label class="dp-check">
            <input type="checkbox" checked={linkTicket} onChange={(e) => setLinkTicket(e.currentTarget.checked)} />
            <span>{t('linkTicket', { number: ticket.data.number })}</span>
          </label>
        ) : (
          <p class="dp-hint">{t('noTicket')}</p>
        )}
      </div>
      {error ? (
        <div class="hh-alert hh-alert--error dp-field--wide" role="alert" data-testid="dossier-error">
          {error}
        </div>
      ) : null}
      <div class="dp-field--wide">
        <Button type="submit" size="lg" variant="success" disabled={busy} data-testid="receive-dossier">
          {busy ? t('submitting') : t('submit')}
        </Button>
      </div>
    </form>
  );
}

function TodayList({
  api,
  items,
  error,
  search,
  setSearch,
  onChanged,
}: {
  api: ReturnType<typeof createApi>;
  items: DossierSummary[];
  error: unknown;
  search: string;
  setSearch: (s: string) => void;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState<DossierStatus | ''>('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useState<{ ok: boolean; text: string } | null>(null);

  const move = async (code: string, to: DossierStatus, withNote: string) => {
    setBusy(true);
    try {
      const d = await api.post<DossierDetail>(`/dossiers/${encodeURIComponent(code)}/events`, {
        status: to,
        ...(withNote.trim() ? { note: withNote.trim() } : {}),
        eventId: newEventId(),
      });
      setFlash({ ok: true, text: to === 'returned' ? t('handedBack', { code }) : t('updated', { code, status: statusLabel(d.status) }) });
      setEditing(null);
      onChanged();
    } catch (err) {
      setFlash({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="dp-today">
      <div class="dp-today__bar">
        <input class="dp-search" type="search" placeholder={t('search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} aria-label={t('search')} />
        <Button size="sm" variant="secondary" onClick={onChanged}>
          {t('refresh')}
        </Button>
      </div>
      {flash ? (
        <div class={`hh-alert ${flash.ok ? 'hh-alert--info' : 'hh-alert--error'}`} role={flash.ok ? 'status' : 'alert'} data-testid="dossier-flash">
          {flash.text}
        </div>
      ) : null}
      {error ? <div class="hh-alert hh-alert--error">{errorMessage(error)}</div> : null}
      {items.length === 0 ? <p class="dp-empty">{t('todayEmpty')}</p> : null}
      <ul class="dp-list">
        {items.map((d) => (
          <li key={d.code} class="dp-row" data-code={d.code}>
            <div class="dp-row__main">
              <span class="dp-row__code">{d.code}</span>
              <span class="dp-row__who">{d.applicantName}</span>
              <span class="dp-row__what">{d.procedure}</span>
            </div>
            <div class="dp-row__state">
              <span class={`hh-badge hh-badge--${TONE[d.status]}`} data-testid="row-status">
                {statusLabel(d.status)}
              </span>
              {d.overdue ? <span class="hh-badge hh-badge--red">{t('overdue')}</span> : null}
              <span class="dp-row__due">
                {t('colDue')}: {due(d.dueAt)}
              </span>
            </div>
            <div class="dp-row__actions">
              {d.status === 'result_ready' ? (
                <Button size="sm" variant="success" disabled={busy} onClick={() => void move(d.code, 'returned', '')}>
                  {t('handBack')}
                </Button>
              ) : null}
              {d.nextStatuses.length ? (
                <Button
                  size="sm"
                  variant="secondary"
                  disabled={busy}
                  onClick={() => {
                    setEditing(editing === d.code ? null : d.code);
                    setStatus(d.nextStatuses[0] ?? '');
                    setNote('');
                  }}
                >
                  {t('update')}
                </Button>
              ) : (
                <span class="dp-row__final">{t('final')}</span>
              )}
            </div>
            {editing === d.code ? (
              <form
                class="dp-edit"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (status) void move(d.code, status, note);
                }}
              >
                <label class="dp-field">
                  <span>{t('newStatus')}</span>
                  <select value={status} onChange={(e) => setStatus(e.currentTarget.value as DossierStatus)} data-testid="next-status">
                    {d.nextStatuses.map((s) => (
                      <option key={s} value={s}>
                        {statusLabel(s)}
                      </option>
                    ))}
                  </select>
                </label>
                <label class="dp-field dp-field--grow">
                  <span>{t('note')}</span>
                  <input value={note} maxLength={1000} placeholder={t('notePlaceholder')} onInput={(e) => setNote(e.currentTarget.value)} data-testid="status-note" />
                </label>
                <div class="dp-edit__buttons">
                  <Button type="submit" size="sm" disabled={busy || !status}>
                    {t('save')}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
                    {t('cancel')}
                  </Button>
                </div>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
