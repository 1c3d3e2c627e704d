import { useEffect, useRef, useState } from 'preact/hooks';
import type { Counter, CounterActionReply, CounterQueue, Service, Ticket } from '../../protocol/index.js';
import { ApiError, Button, errorMessage, formatDuration, formatTime, localized, useDebounced, useHubEvent, useNow, useSocketStore, type StaffSession } from '../../ui-kit/index.js';
import DossierPanel from './dossiers/DossierPanel.js';
import { TransferDialog } from './TransferDialog.js';
import { t } from './messages.js';
import { api } from './session.js';

type Current = NonNullable<Counter['currentTicket']>;
type Action = 'next' | 'recall' | 'serve' | 'no-show' | 'done' | 'pause' | 'resume' | 'close' | 'call' | 'transfer' | 'reprint';

function ticketStatusText(status: string): string {
  switch (status) {
    case 'called':
      return t('ticketStatus_called');
    case 'serving':
      return t('ticketStatus_serving');
    case 'waiting':
      return t('ticketStatus_waiting');
    case 'done':
      return t('ticketStatus_done');
    case 'no_show':
      return t('ticketStatus_no_show');
    case 'transferred':
      return t('ticketStatus_transferred');
    case 'not_served':
      return t('ticketStatus_not_served');
    default:
      return t('ticketStatus_cancelled');
  }
}

function currentOf(ticket: Ticket | null): Current | null {
  if (!ticket || (ticket.status !== 'called' && ticket.status !== 'serving')) return null;
  return { id: ticket.id, number: ticket.number, status: ticket.status, serviceId: ticket.serviceId, calledAt: ticket.calledAt };
}

export interface ConsoleProps {
  counter: Counter;
  counters: Counter[];
  services: Service[];
  session: StaffSession;
  timeZone: string | undefined;
  onCounter: (c: Counter) => void;
  onClosed: (c: Counter) => void;
}

/** The counter console: the current ticket and its actions, the waiting list, the dossier panel. */
export function Console({ counter, counters, services, session, timeZone, onCounter, onClosed }: ConsoleProps) {
  const store = useSocketStore();
  const now = useNow();
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [requeue, setRequeue] = useState(false);
  const [transferOpen, setTransferOpen] = useState(false);
  const [queue, setQueue] = useState<CounterQueue | null>(null);
  const [detail, setDetail] = useState<Ticket | null>(null);
  const serviceNames = new Map(services.map((s) => [s.id, localized(s.name, s.nameEn)]));
  const current = counter.currentTicket;
  const open = counter.status === 'open';
  const tz = timeZone ? { timeZone } : {};

  // ---- waiting list: on mount, on every reconnect, and (debounced) on queue and ticket changes ----
  const loadQueue = async () => {
    try {
      setQueue(await api.get<CounterQueue>(`/counters/${counter.id}/queue`));
    } catch {
      // keep the last list; the offline banner says why
    }
  };
  const refreshQueue = useDebounced(() => void loadQueue(), 300);
  useEffect(() => {
    void loadQueue();
  }, [counter.id, store.connections.value]);
  useHubEvent('queue:update', refreshQueue);
  useHubEvent('ticket:update', refreshQueue);

  // ---- the current ticket's details (priority, issue time) ----
  useEffect(() => {
    if (!current) {
      setDetail(null);
      return;
    }
    let live = true;
    api
      .get<Ticket>(`/tickets/${current.id}`)
      .then((tk) => {
        if (live) setDetail(tk);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [current?.id, current?.status]);

  const readCounter = async (): Promise<Counter | null> => {
    const list = await api.get<Counter[]>('/counters');
    return list.find((c) => c.id === counter.id) ?? null;
  };
  const refreshCounter = async () => {
    try {
      const mine = await readCounter();
      if (mine) onCounter(mine);
    } catch {
      // the socket's counter:update will bring it
    }
  };

  // An action whose answer never came may have been done: the counter's state is read again before the next
  // action, so a citizen called by it stays on screen instead of being finished by the next "next".
  const uncertain = useRef(false);
  const shown = useRef(current);
  shown.current = current;
  /** Reads the counter after an unanswered action; false when it had changed (shown now, nothing else done). */
  const settle = async (): Promise<boolean> => {
    if (!uncertain.current) return true;
    const before = shown.current;
    const fresh = await readCounter();
    uncertain.current = false;
    if (!fresh) return true;
    onCounter(fresh);
    const cur = fresh.currentTicket;
    if ((cur?.id ?? null) === (before?.id ?? null) && cur?.status === before?.status) return true;
    setError(null);
    setInfo(cur ? t('lostReplyCalled', { number: cur.number }) : t('lostReplyDone'));
    refreshQueue();
    return false;
  };

  const run = async (action: Action, fn: () => Promise<void>) => {
    if (busy) return;
    setBusy(action);
    setError(null);
    setInfo(null);
    try {
      if (await settle()) await fn();
    } catch (err) {
      setError(errorMessage(err));
      if (err instanceof ApiError && (err.isNetwork || err.status >= 500)) {
        uncertain.current = true;
        settle().catch(() => undefined);
      }
    } finally {
      setBusy(null);
    }
  };

  const ticketAction = (action: Exclude<Action, 'pause' | 'resume' | 'close' | 'call' | 'transfer'>, body?: unknown) =>
    run(action, async () => {
      const reply = await api.action<CounterActionReply | null>(`/counters/${counter.id}/${action}`, body);
      const ticket = reply?.ticket ?? null;
      if (action === 'next' && !ticket) setInfo(t('nobodyWaiting'));
      if (action === 'next' && ticket) setInfo(t('called', { number: ticket.number }));
      onCounter({ ...counter, currentTicket: currentOf(ticket) });
      if (action === 'no-show') setRequeue(false);
      void refreshCounter();
      refreshQueue();
    });

  const callTicket = (ticketId: number) =>
    run('call', async () => {
      const reply = await api.action<CounterActionReply>(`/counters/${counter.id}/call`, { ticketId });
      onCounter({ ...counter, currentTicket: currentOf(reply.ticket) });
      if (reply.ticket) setInfo(t('called', { number: reply.ticket.number }));
      void refreshCounter();
      refreshQueue();
    });

  const counterAction = (action: 'pause' | 'resume' | 'close') =>
    run(action, async () => {
      const c = await api.action<Counter>(`/counters/${counter.id}/${action}`);
      if (action === 'close') onClosed(c);
      else onCounter(c);
    });

  const transfer = (serviceId: number, counterId: number | null) =>
    run('transfer', async () => {
      await api.action<CounterActionReply>(`/counters/${counter.id}/transfer`, counterId ? { serviceId, counterId } : { serviceId });
      setTransferOpen(false);
      onCounter({ ...counter, currentTicket: null });
      void refreshCounter();
      refreshQueue();
    });

  const reprint = (ticketId: number, number: string) =>
    run('reprint', async () => {
      let job: { status: string; error: string | null };
      try {
        job = await api.post<{ status: string; error: string | null }>(`/tickets/${ticketId}/reprint`);
      } catch (err) {
        // The last print may be on paper: staff check the kiosk's tray before a second copy goes out.
        if (!(err instanceof ApiError && err.code === 'may_be_on_paper')) throw err;
        if (!window.confirm(t('reprintMaybePrinted', { number, reason: err.message }))) return;
        job = await api.post<{ status: string; error: string | null }>(`/tickets/${ticketId}/reprint`, { confirm: true });
      }
      if (job.status === 'failed') setError(t('reprintFailed', { number }));
      else setInfo(t(job.status === 'printed' ? 'reprinted' : 'reprintSent', { number }));
    });

  const can = {
    next: open && busy === null,
    recall: current?.status === 'called' && busy === null,
    serve: current?.status === 'called' && busy === null,
    noShow: current?.status === 'called' && busy === null,
    done: current !== null && busy === null,
    transfer: current !== null && busy === null,
  };

  // ---- keyboard shortcuts ----
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    if (transferOpen) return;
    const map: Record<string, [boolean, () => void]> = {
      F1: [can.next, () => void ticketAction('next')],
      F2: [can.recall, () => void ticketAction('recall')],
      F3: [can.serve, () => void ticketAction('serve')],
      F4: [can.noShow, () => void ticketAction('no-show', requeue ? { requeue: true } : {})],
      F8: [can.done, () => void ticketAction('done')],
      F9: [can.transfer, () => setTransferOpen(true)],
    };
    const hit = map[e.key];
    if (!hit) return;
    e.preventDefault();
    if (hit[0]) hit[1]();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const since = current?.calledAt ? now - Date.parse(current.calledAt) : null;

  return (
    <main class="staff-main staff-console">
      <section class="staff-console__left">
        {error ? (
          <div class="hh-alert hh-alert--error staff-flash" role="alert" data-testid="staff-error">
            <span>{error}</span>
            <button type="button" class="staff-flash__close" aria-label="×" onClick={() => setError(null)}>
              ×
            </button>
          </div>
        ) : info ? (
          <div class="hh-alert hh-alert--info staff-flash" role="status">
            <span>{info}</span>
          </div>
        ) : null}
        {counter.status === 'paused' ? <div class="hh-alert hh-alert--warning">{t('pausedNotice')}</div> : null}

        <div class={`staff-ticket hh-card ${current ? `staff-ticket--${current.status}` : 'staff-ticket--none'}`} data-testid="current-ticket">
          <div class="staff-ticket__label">{t('currentTicket')}</div>
          {current ? (
            <div class="staff-ticket__body">
              <div class="staff-ticket__number hh-num" data-testid="current-number">
                {current.number}
              </div>
              <div class="staff-ticket__info">
                <div class="staff-ticket__service">{serviceNames.get(current.serviceId) ?? ''}</div>
                <div class="staff-ticket__status">
                  <span class={`hh-badge ${current.status === 'serving' ? 'hh-badge--green' : 'hh-badge--amber'}`} data-testid="current-status">
                    {ticketStatusText(current.status)}
                  </span>
                  {detail?.priority ? <span class="hh-badge hh-badge--red">{t('priority')}</span> : null}
                </div>
                {detail ? <div class="staff-ticket__issued">{t('issuedAt', { time: formatTime(detail.issuedAt, tz) })}</div> : null}
              </div>
              <div class="staff-ticket__timer">
                <span>{t('servingFor')}</span>
                <strong class="hh-num" data-testid="serving-timer">
                  {since === null ? '--:--' : formatDuration(since)}
                </strong>
              </div>
            </div>
          ) : (
            <div class="staff-ticket__empty">
              <strong>{t('noCurrent')}</strong>
              <span>{t('noCurrentHint')}</span>
            </div>
          )}
        </div>

        <div class="staff-actions">
          <Button class="staff-actions__next" size="lg" shortcut="F1" disabled={!can.next} onClick={() => void ticketAction('next')}>
            {t('next')}
          </Button>
          <Button variant="secondary" size="lg" shortcut="F2" disabled={!can.recall} onClick={() => void ticketAction('recall')}>
            {t('recall')}
          </Button>
          <Button variant="success" size="lg" shortcut="F3" disabled={!can.serve} onClick={() => void ticketAction('serve')}>
            {t('serve')}
          </Button>
          <Button variant="primary" size="lg" shortcut="F8" disabled={!can.done} onClick={() => void ticketAction('done')}>
            {t('done')}
          </Button>
          <div class="staff-actions__noshow">
            <Button variant="warning" size="lg" shortcut="F4" block disabled={!can.noShow} onClick={() => void ticketAction('no-show', requeue ? { requeue: true } : {})}>
              {t('noShow')}
            </Button>
            <label class="staff-check">
              <input type="checkbox" checked={requeue} onChange={(e) => setRequeue(e.currentTarget.checked)} />
              <span>{t('requeue')}</span>
            </label>
          </div>
          <Button variant="secondary" size="lg" shortcut="F9" disabled={!can.transfer} onClick={() => setTransferOpen(true)}>
            {t('transfer')}
          </Button>
        </div>

        <div class="staff-counterbar">
          {counter.status === 'paused' ? (
            <Button variant="success" size="sm" disabled={busy !== null} onClick={() => void counterAction('resume')}>
              {t('resume')}
            </Button>
          ) : (
            <Button variant="secondary" size="sm" disabled={busy !== null} onClick={() => void counterAction('pause')}>
              {t('pause')}
            </Button>
          )}
          <Button
            variant="danger"
            size="sm"
            disabled={busy !== null}
            onClick={() => {
              if (window.confirm(t('closeConfirm', { n: counter.number }))) void counterAction('close');
            }}
          >
            {t('closeCounter')}
          </Button>
          <Button variant="secondary" size="sm" disabled={busy !== null || !current} onClick={() => current && void reprint(current.id, current.number)}>
            {t('reprint')}
          </Button>
          <span class="staff-counterbar__keys">{t('shortcuts')}</span>
        </div>

        <div class="staff-dossiers">
          <DossierPanel counterId={counter.id} ticketId={current?.id ?? null} token={session.token} />
        </div>
      </section>

      <aside class="staff-queue hh-card" data-testid="waiting-list">
        <header class="staff-queue__head">
          <h2>{t('waitingList')}</h2>
          <span class="hh-badge">{t('waitingTotal', { n: queue?.total ?? 0 })}</span>
        </header>
        {queue && queue.waiting.length === 0 ? <p class="staff-queue__empty">{t('waitingEmpty')}</p> : null}
        <ol class="staff-queue__list">
          {(queue?.waiting ?? []).map((w) => (
            <li key={w.id} data-ticket-number={w.number}>
              <span class="staff-queue__number hh-num">{w.number}</span>
              <span class="staff-queue__what">
                <span>{serviceNames.get(w.serviceId) ?? ''}</span>
                <span class="staff-queue__tags">
                  {w.priority ? <span class="hh-badge hh-badge--red">{t('priority')}</span> : null}
                  {w.transferred ? <span class="hh-badge hh-badge--amber">{t('transferred')}</span> : null}
                  <span class="staff-queue__waited">{t('waitedMin', { n: w.waitedMinutes })}</span>
                </span>
              </span>
              <Button size="sm" variant="secondary" disabled={!open || busy !== null} onClick={() => void callTicket(w.id)}>
                {t('callThis')}
              </Button>
            </li>
          ))}
        </ol>
      </aside>

      {transferOpen && current ? (
        <TransferDialog
          number={current.number}
          currentServiceId={current.serviceId}
          myCounterId={counter.id}
          services={services}
          counters={counters}
          busy={busy === 'transfer'}
          error={error}
          onCancel={() => setTransferOpen(false)}
          onConfirm={(serviceId, counterId) => void transfer(serviceId, counterId)}
        />
      ) : null}
    </main>
  );
}
