import { useEffect, useRef, useState } from 'preact/hooks';
import type { IssuedTicket } from '../../protocol/index.js';
import { QrCode, formatDate, formatTime } from '../../ui-kit/index.js';
import { etaNoCounterHint, etaText, t } from './messages.js';

/** Seconds the issued ticket stays on screen without a touch. */
export const TICKET_SCREEN_SECONDS = 15;
/** Minutes a ticket that could not be printed (or may not be on paper) stays when the hall sets nothing. */
export const UNPRINTED_TICKET_MINUTES = 10;

/** The follow page of a ticket: the hub's `followUrl` when it gave one. */
export function followUrl(ticket: Pick<IssuedTicket, 'id'> & { followUrl?: string }): string {
  return ticket.followUrl || `${window.location.origin}/kiosk/t/${ticket.id}`;
}

export interface TicketScreenProps {
  ticket: IssuedTicket;
  printerProblem: { detail: string | null; mayBeOnPaper?: boolean } | null;
  timeZone: string | undefined;
  /** How long a ticket that was not printed stays (the hall's `unprintedTicketMinutes`). */
  keepMinutes?: number | undefined;
  onDone: () => void;
}

/**
 * The issued ticket, as on the printed slip: number, service, people ahead, wait, time and QR. When the
 * printer fails while it is shown, this screen is the ticket's only copy: it stays until the citizen taps
 * "Tôi đã ghi lại số" (or the hall's long timeout).
 */
export function TicketScreen({ ticket, printerProblem, timeZone, keepMinutes, onDone }: TicketScreenProps) {
  const [left, setLeft] = useState(TICKET_SCREEN_SECONDS);
  const [kept, setKept] = useState(printerProblem !== null);
  const deadline = useRef(Date.now() + TICKET_SCREEN_SECONDS * 1000);
  const done = useRef(onDone);
  done.current = onDone;
  const keptRef = useRef(kept);

  useEffect(() => {
    if (printerProblem && !keptRef.current) {
      keptRef.current = true;
      setKept(true);
      deadline.current = Date.now() + (keepMinutes ?? UNPRINTED_TICKET_MINUTES) * 60_000;
    }
  }, [printerProblem, keepMinutes]);

  useEffect(() => {
    const span = () => (keptRef.current ? (keepMinutes ?? UNPRINTED_TICKET_MINUTES) * 60_000 : TICKET_SCREEN_SECONDS * 1000);
    deadline.current = Date.now() + span();
    const extend = () => {
      deadline.current = Math.max(deadline.current, Date.now() + span());
    };
    window.addEventListener('pointerdown', extend, { capture: true, passive: true });
    const timer = setInterval(() => {
      const ms = deadline.current - Date.now();
      if (ms <= 0) done.current();
      else setLeft(Math.ceil(ms / 1000));
    }, 250);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pointerdown', extend, { capture: true });
    };
  }, [ticket.id]);

  const tz = timeZone ? { timeZone } : {};
  return (
    <main class={`kiosk-main kiosk-ticket ${kept ? 'is-kept' : ''}`} data-testid="issued-ticket" data-kept={kept ? 'true' : 'false'}>
      <section class="ticket-slip">
        <div class="ticket-slip__main">
        <div class="ticket-slip__head">{kept ? t('ticketKept') : t('yourNumber')}</div>
        <div class="ticket-slip__number hh-num" data-testid="ticket-number">
          {ticket.number}
        </div>
        <div class="ticket-slip__service">{ticket.serviceName}</div>
        {ticket.priority ? <div class="hh-badge hh-badge--red ticket-slip__priority">{t('priorityBadge')}</div> : null}

        <dl class="ticket-slip__facts">
          <div>
            <dt>{t('ahead')}</dt>
            <dd class="hh-num" data-testid="ticket-ahead">
              {ticket.ahead}
            </dd>
          </div>
          <div>
            <dt>{t('eta')}</dt>
            <dd class={`hh-num ${ticket.estimatedWaitMinutes === null ? 'is-none' : ''}`} data-testid="ticket-eta">
              {etaText(ticket)}
            </dd>
          </div>
          <div>
            <dt>{t('issuedAt')}</dt>
            <dd class="hh-num">
              {formatTime(ticket.issuedAt, tz)}
              <small>{formatDate(ticket.issuedAt, tz)}</small>
            </dd>
          </div>
        </dl>
        </div>

        <div class="ticket-slip__side">
        {/* The printer slot: always laid out, filled when the kiosk's printer reports a problem. */}
        <div class={`kiosk-printer ${printerProblem ? 'is-on' : ''}`} role="status" aria-live="assertive" data-testid="printer-slot">
          {printerProblem ? (
            <>
              <strong>{t(printerProblem.mayBeOnPaper ? 'printerMaybePrinted' : 'printerProblem')}</strong>
              <small>{t(printerProblem.mayBeOnPaper ? 'printerMaybePrintedHint' : 'printerProblemHint')}</small>
            </>
          ) : null}
        </div>
        {ticket.estimatedWaitMinutes === null ? (
          <p class="ticket-slip__nocounter" data-testid="ticket-no-counter">
            {etaNoCounterHint(ticket.hallOpensAt)}
          </p>
        ) : null}

        <div class="ticket-slip__qr">
          <QrCode value={followUrl(ticket)} size={220} label={t('scanToFollow')} />
          <div>
            <strong>{t('scanToFollow')}</strong>
            <p>{t('keepTicket')}</p>
          </div>
        </div>

        </div>
      </section>

      <div class="kiosk-ticket__actions">
        {kept ? (
          <button type="button" class="hh-btn hh-btn--primary hh-btn--xl kiosk-ticket__done" onClick={onDone} data-testid="ticket-noted">
            {t('notedIt')}
          </button>
        ) : (
          <>
            <button type="button" class="hh-btn hh-btn--primary hh-btn--xl kiosk-ticket__done" onClick={onDone}>
              {t('done')}
            </button>
            <span class="kiosk-ticket__countdown">{t('backIn', { n: left })}</span>
          </>
        )}
      </div>
    </main>
  );
}
