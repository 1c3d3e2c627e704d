/**
 * The dossier panel of the counter console: receive a dossier for the citizen being served (linked to the ticket),
 * see the receipt's code and due date, follow today's dossiers of this counter, move them along and hand back results.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import {
  DOSSIER_STATUS_LABELS,
  type DossierDetail,
  type DossierList,
  type DossierStatus,
  type DossierSummary,
  type MissingPaper,
  type Paper,
  type Procedure,
  type ReturnMethod,
  type SubmissionChannel,
} from '../../../protocol/dossiers.js';
import { looksLikeCccd, parseCccdQr, type CccdCard } from '../../../protocol/cccd.js';
import { FormButtons, formsFor, openPdf } from './forms.js';
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
        <ReceiveForm api={api} token={token} counterId={counterId} procedures={procedures.data ?? []} serviceIds={counter.data?.serviceIds ?? []} ticketId={ticketId} onReceived={refresh} />
      ) : (
        <TodayList api={api} token={token} day={today.data?.day ?? null} items={today.data?.items ?? []} error={today.error} search={search} setSearch={setSearch} onChanged={refresh} />
      )}
    </section>
  );
}

function ReceiveForm({
  api,
  token,
  counterId,
  procedures,
  serviceIds,
  ticketId,
  onReceived,
}: {
  api: ReturnType<typeof createApi>;
  token: string;
  counterId: number;
  procedures: Procedure[];
  serviceIds: number[];
  ticketId: number | null;
  onReceived: () => void;
}) {
  const [procedureId, setProcedureId] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [address, setAddress] = useState('');
  const [channel, setChannel] = useState<SubmissionChannel>('in_person');
  const [returnMethod, setReturnMethod] = useState<ReturnMethod>('at_hall');
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const [sets, setSets] = useState(1);
  const [scan, setScan] = useState('');
  const [scanNote, setScanNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [linkTicket, setLinkTicket] = useState(true);
  const [eventId, setEventId] = useState(newEventId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<DossierDetail | null>(null);
  const [print, setPrint] = useState<PrintState | null>(null);
  const ticket = useLoad(() => (ticketId ? api.get<Ticket>(`/tickets/${ticketId}`) : Promise.resolve(null)), [api, ticketId]);

  const fillFrom = (card: CccdCard) => {
    setName(card.fullName);
    setIdNumber(card.idNumber);
    setBirthDate(card.birthDate);
    setAddress(card.address);
    setScanNote({ ok: true, text: t('cccdFilled', { name: card.fullName }) });
  };
  const readScan = (text: string) => {
    const parsed = parseCccdQr(text);
    if (parsed.ok) fillFrom(parsed.card);
    else setScanNote({ ok: false, text: t('cccdBad', { reason: parsed.reason }) });
    setScan('');
  };
  // The counter's serial scanner, through its agent: the hub parses the card and sends it to this staff member only.
  useHubEvent('cccd:scan', (e) => {
    if (e.counterId !== counterId) return;
    if (e.card) fillFrom(e.card);
    else setScanNote({ ok: false, text: t('cccdBad', { reason: e.reason ?? '' }) });
  });

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
        ...(idNumber.trim() ? { applicantIdNumber: idNumber.trim() } : {}),
        ...(birthDate ? { applicantBirthDate: birthDate } : {}),
        ...(address.trim() ? { applicantAddress: address.trim() } : {}),
        channel,
        returnMethod,
        papers: (chosen.papers ?? []).filter((p) => ticked[p.name]).map((p): Paper => ({ ...p })),
        sets,
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
    setIdNumber('');
    setBirthDate('');
    setAddress('');
    setChannel('in_person');
    setReturnMethod('at_hall');
    setTicked({});
    setSets(1);
    setScanNote(null);
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
            <dt>{t('lookupKey')}</dt>
            <dd class="dp-done__code" data-testid="dossier-key">
              {done.lookupKey}
            </dd>
          </div>
          <div>
            <dt>{t('procedure')}</dt>
            <dd>{done.procedure}</dd>
          </div>
        </dl>
        <FormButtons token={token} code={done.code} forms={['01', '06']} />
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
      <label class="dp-field dp-field--wide dp-scan">
        <span>{t('cccdScan')}</span>
        <input
          value={scan}
          data-testid="cccd-scan"
          autoComplete="off"
          spellcheck={false}
          placeholder={t('cccdScanHint')}
          onInput={(e) => setScan(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (scan.trim()) readScan(scan);
            }
          }}
        />
        {scanNote ? (
          <small class={scanNote.ok ? 'dp-hint dp-scan__ok' : 'dp-hint dp-scan__bad'} role={scanNote.ok ? 'status' : 'alert'} data-testid="cccd-note">
            {scanNote.text}
          </small>
        ) : null}
      </label>
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
        <input
          value={name}
          onInput={(e) => {
            const v = e.currentTarget.value;
            // A keyboard-wedge scanner typing a CCCD QR into this field: read it as a card once it is whole.
            const card = looksLikeCccd(v) ? parseCccdQr(v) : null;
            if (card?.ok) fillFrom(card.card);
            else setName(v);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && looksLikeCccd(name)) {
              e.preventDefault();
              readScan(name);
              setName('');
            }
          }}
          maxLength={400}
          autoComplete="off"
          required
          data-testid="applicant-name"
        />
      </label>
      <label class="dp-field">
        <span>
          {t('idNumber')} <em>{t('optional')}</em>
        </span>
        <input value={idNumber} onInput={(e) => setIdNumber(e.currentTarget.value)} maxLength={12} inputMode="numeric" autoComplete="off" data-testid="applicant-id" />
      </label>
      <label class="dp-field">
        <span>
          {t('birthDate')} <em>{t('optional')}</em>
        </span>
        <input type="date" value={birthDate} onInput={(e) => setBirthDate(e.currentTarget.value)} data-testid="applicant-birth" />
      </label>
      <label class="dp-field dp-field--wide">
        <span>
          {t('address')} <em>{t('optional')}</em>
        </span>
        <input value={address} onInput={(e) => setAddress(e.currentTarget.value)} maxLength={300} autoComplete="off" data-testid="applicant-address" />
      </label>
      <label class="dp-field">
        <span>{t('channel')}</span>
        <select value={channel} onChange={(e) => setChannel(e.currentTarget.value as SubmissionChannel)} data-testid="channel">
          {(['in_person', 'online', 'postal'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`channel_${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="dp-field">
        <span>{t('returnMethod')}</span>
        <select value={returnMethod} onChange={(e) => setReturnMethod(e.currentTarget.value as ReturnMethod)} data-testid="return-method">
          {(['at_hall', 'postal'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`return_${c}`)}
            </option>
          ))}
        </select>
      </label>
      {chosen && chosen.papers.length ? (
        <fieldset class="dp-field dp-field--wide dp-papers" data-testid="papers">
          <legend>{t('papers')}</legend>
          {chosen.papers.map((p) => (
            <label key={p.name} class="dp-check">
              <input type="checkbox" checked={!!ticked[p.name]} onChange={(e) => setTicked({ ...ticked, [p.name]: e.currentTarget.checked })} />
              <span>
                {p.name} <em>({t('paperCounts', { o: p.originals, c: p.copies })})</em>
              </span>
            </label>
          ))}
          <label class="dp-sets">
            <span>{t('sets')}</span>
            <input type="number" min={1} max={100} value={sets} onInput={(e) => setSets(Math.max(1, Number(e.currentTarget.value) || 1))} />
          </label>
        </fieldset>
      ) : null}
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
  token,
  day,
  items,
  error,
  search,
  setSearch,
  onChanged,
}: {
  api: ReturnType<typeof createApi>;
  token: string;
  day: string | null;
  items: DossierSummary[];
  error: unknown;
  search: string;
  setSearch: (s: string) => void;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState<DossierStatus | ''>('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState('');
  const [forCitizen, setForCitizen] = useState(false);
  const [newDue, setNewDue] = useState('');
  const [extendFor, setExtendFor] = useState<string | null>(null);
  const [detail, setDetail] = useState<DossierDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [flash, setFlash] = useState<{ ok: boolean; text: string } | null>(null);

  const missingList = (): MissingPaper[] =>
    missing
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const i = line.indexOf(':');
        return i > 0 ? { name: line.slice(0, i).trim(), reason: line.slice(i + 1).trim() || '—' } : { name: line, reason: '—' };
      });
  const open = async (code: string) => {
    if (editing === code) {
      setEditing(null);
      return;
    }
    setEditing(code);
    setDetail(null);
    setDetail(await api.get<DossierDetail>(`/dossiers/${encodeURIComponent(code)}/detail`).catch(() => null));
  };
  const move = async (code: string, to: DossierStatus | 'extended', withNote: string) => {
    setBusy(true);
    try {
      const d = await api.post<DossierDetail>(`/dossiers/${encodeURIComponent(code)}/events`, {
        status: to,
        ...(withNote.trim() ? { note: withNote.trim(), forCitizen } : {}),
        ...((to === 'rejected' || to === 'suspended' || to === 'extended') && reason.trim() ? { reason: reason.trim() } : {}),
        ...(to === 'supplement_required' ? { missingPapers: missingList() } : {}),
        ...(to === 'extended' && newDue ? { newDueAt: new Date(`${newDue}T17:00:00+07:00`).toISOString() } : {}),
        eventId: newEventId(),
      });
      setExtendFor(null);
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
        {day ? (
          <Button size="sm" variant="ghost" data-testid="register" onClick={() => void openPdf(token, `/dossiers/register.pdf?from=${day}&to=${day}`, `so-theo-doi-${day}.pdf`)}>
            {t('register')}
          </Button>
        ) : null}
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
                    void open(d.code);
                    setStatus(d.nextStatuses[0] ?? '');
                    setNote('');
                    setReason('');
                    setMissing('');
                    setForCitizen(false);
                    setExtendFor(null);
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
                  <label class="dp-check">
                    <input type="checkbox" checked={forCitizen} onChange={(e) => setForCitizen(e.currentTarget.checked)} data-testid="for-citizen" />
                    <span>{t('forCitizen')}</span>
                  </label>
                </label>
                {status === 'rejected' || status === 'suspended' || extendFor === d.code ? (
                  <label class="dp-field dp-field--grow">
                    <span>{t('reason')}</span>
                    <input value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} data-testid="status-reason" />
                  </label>
                ) : null}
                {status === 'supplement_required' && extendFor !== d.code ? (
                  <label class="dp-field dp-field--wide">
                    <span>{t('missingPapers')}</span>
                    <textarea rows={3} value={missing} maxLength={4000} onInput={(e) => setMissing(e.currentTarget.value)} data-testid="missing-papers" />
                  </label>
                ) : null}
                {extendFor === d.code ? (
                  <label class="dp-field">
                    <span>{t('newDue')}</span>
                    <input type="date" value={newDue} onInput={(e) => setNewDue(e.currentTarget.value)} data-testid="new-due" />
                  </label>
                ) : null}
                <div class="dp-edit__buttons">
                  <Button type="submit" size="sm" disabled={busy || !status}>
                    {t('save')}
                  </Button>
                  {d.overdue && extendFor !== d.code ? (
                    <Button size="sm" variant="secondary" onClick={() => setExtendFor(d.code)} data-testid="extend">
                      {t('extend')}
                    </Button>
                  ) : null}
                  {extendFor === d.code ? (
                    <Button size="sm" variant="primary" disabled={busy || !reason.trim() || !newDue} onClick={() => void move(d.code, 'extended', note)}>
                      {t('extend')}
                    </Button>
                  ) : null}
                  <Button size="sm" variant="ghost" onClick={() => setEditing(null)}>
                    {t('cancel')}
                  </Button>
                </div>
                {detail && detail.code === d.code ? (
                  <div class="dp-field--wide">
                    {detail.supplementRounds > 0 ? <small class="dp-hint">{t('supplementRounds', { n: detail.supplementRounds })}</small> : null}
                    <FormButtons token={token} code={d.code} forms={formsFor(detail)} />
                  </div>
                ) : null}
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
