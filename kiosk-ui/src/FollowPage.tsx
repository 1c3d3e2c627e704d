import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ticket, TicketStatus } from '../../protocol/index.js';
import { ApiError, LanguageSwitch, OfflineBanner, createApi, errorMessage, formatTime } from '../../ui-kit/index.js';
import { etaNoCounterHint, etaText, t } from './messages.js';

/** How often the page asks the hub again. */
export const FOLLOW_POLL_MS = 10_000;

const api = createApi();

/** The Vietnamese (or English) words for a ticket's status. */
export function statusText(ticket: Pick<Ticket, 'status' | 'counterNumber'>): string {
  const s: TicketStatus = ticket.status;
  switch (s) {
    case 'waiting':
      return t('status_waiting');
    case 'called':
      return ticket.counterNumber !== null ? t('status_called', { counter: ticket.counterNumber }) : t('status_called_nocounter');
    case 'serving':
      return t('status_serving');
    case 'done':
      return t('status_done');
    case 'no_show':
      return t('status_no_show');
    case 'transferred':
      return t('status_transferred');
    case 'cancelled':
      return t('status_cancelled');
    case 'not_served':
      return t('status_not_served');
  }
}

function hintOf(status: TicketStatus): string | null {
  switch (status) {
    case 'waiting':
      return t('followHint');
    case 'called':
      return t('followCalledHint');
    case 'no_show':
      return t('followNoShowHint');
    case 'transferred':
      return t('followTransferredHint');
    case 'not_served':
      return t('followNotServedHint');
    case 'serving':
    case 'done':
    case 'cancelled':
      return null;
  }
}

/** `/kiosk/t/<id>`: a citizen follows their ticket on a phone (no token; the hub answers this openly). */
export function FollowPage({ ticketId }: { ticketId: number }) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const tk = await api.get<Ticket>(`/tickets/${ticketId}`);
        if (!live) return;
        setTicket(tk);
        setNotFound(false);
        setOffline(false);
        setError(null);
        setUpdatedAt(Date.now());
      } catch (err) {
        if (!live) return;
        if (err instanceof ApiError && err.status === 404) setNotFound(true);
        else if (err instanceof ApiError && (err.isNetwork || err.status >= 500)) setOffline(true);
        else setError(errorMessage(err));
      }
      if (live) timer.current = setTimeout(() => void poll(), FOLLOW_POLL_MS);
    };
    void poll();
    // Coming back to the tab (phone unlocked): ask at once instead of waiting for the next poll.
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      if (timer.current) clearTimeout(timer.current);
      void poll();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ticketId]);

  const status = ticket?.status;
  return (
    <div class="follow">
      <OfflineBanner offline={offline} />
      <header class="follow-header">
        <span class="hh-emblem" aria-hidden="true">★</span>
        <div>
          <h1>{t('followTitle')}</h1>
          {ticket?.hallName ? (
            <p class="follow-header__hall" data-testid="follow-hall">
              {ticket.hallName}
            </p>
          ) : null}
        </div>
      </header>
      <main class="follow-main">
        {notFound ? (
          <p class="hh-alert hh-alert--error" data-testid="follow-not-found">
            {t('notFound')}
          </p>
        ) : ticket === null ? (
          error ? <p class="hh-alert hh-alert--error">{error}</p> : <p class="hh-loading">…</p>
        ) : (
          <>
            <section class={`follow-card follow-card--${status ?? 'waiting'}`} data-testid="follow-card">
              <div class="follow-card__label">{t('yourNumber')}</div>
              <div class="follow-card__number hh-num" data-testid="follow-number">
                {ticket.number}
              </div>
              <div class="follow-card__service">{ticket.serviceName}</div>
              {ticket.priority ? <span class="hh-badge hh-badge--red">{t('priorityBadge')}</span> : null}
              <div class="follow-card__status" data-testid="follow-status">
                {statusText(ticket)}
              </div>
            </section>
            {ticket.status === 'waiting' ? (
              <dl class="follow-facts">
                <div>
                  <dt>{t('ahead')}</dt>
                  <dd class="hh-num" data-testid="follow-ahead">
                    {ticket.ahead}
                  </dd>
                </div>
                <div>
                  <dt>{t('eta')}</dt>
                  <dd class="hh-num" data-testid="follow-eta">
                    {etaText(ticket)}
                  </dd>
                </div>
                <div>
                  <dt>{t('nowServing')}</dt>
                  <dd class="hh-num" data-testid="follow-now-serving">
                    {ticket.nowServing ?? t('nowServingNone')}
                  </dd>
                </div>
              </dl>
            ) : null}
            {ticket.status === 'waiting' && ticket.estimatedWaitMinutes === null ? (
              <p class="hh-alert hh-alert--warning follow-nocounter" data-testid="follow-no-counter">
                {etaNoCounterHint(ticket.hallOpensAt)}
              </p>
            ) : null}
            {status ? hintOf(status) ? <p class="follow-hint">{hintOf(status)}</p> : null : null}
            <dl class="follow-meta">
              <div>
                <dt>{t('issuedAt')}</dt>
                <dd>{formatTime(ticket.issuedAt)}</dd>
              </div>
              {ticket.counterNumber !== null ? (
                <div>
                  <dt>{t('counter')}</dt>
                  <dd>{ticket.counterNumber}</dd>
                </div>
              ) : null}
            </dl>
          </>
        )}
        {updatedAt !== null ? <p class="follow-updated">{t('updatedAt', { time: formatTime(updatedAt, { seconds: true }) })}</p> : null}
        <div class="follow-lang">
          <LanguageSwitch tone="light" />
        </div>
      </main>
    </div>
  );
}
