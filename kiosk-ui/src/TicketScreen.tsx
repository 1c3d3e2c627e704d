import { useEffect, useRef, useState } from 'preact/hooks';
import type { IssuedTicket } from '../../protocol/index.js';
import { QrCode, formatDate, formatTime } from '../../ui-kit/index.js';
import { etaText, t } from './messages.js';

/** Seconds the issued ticket stays on screen without a touch. */
export const TICKET_SCREEN_SECONDS = 15;
/** …and once its printer has a problem (the citizen copies the number or photographs the screen). */
export const TICKET_SCREEN_PROBLEM_SECONDS = 45;

export function followUrl(ticketId: number): string {
  return `${window.location.origin}/kiosk/t/${ticketId}`;
}

export interface TicketScreenProps {
  ticket: IssuedTicket;
  printerProblem: { detail: string | null; mayBeOnPaper?: boolean } | null;
  timeZone: string | undefined;
  onDone: () => void;
}

/** The issued ticket, as on the printed slip: number, service, people ahead, wait, time and QR. */
export function TicketScreen({ ticket, printerProblem, timeZone, onDone }: TicketScreenProps) {
  const [left, setLeft] = useState(TICKET_SCREEN_SECONDS);
  const deadline = useRef(Date.now() + TICKET_SCREEN_SECONDS * 1000);
  const done = useRef(onDone);
  done.current = onDone;

  useEffect(() => {
    deadline.current = Date.now() + TICKET_SCREEN_SECONDS * 1000;
    const extend = () => {
      deadline.current = Date.now() + TICKET_SCREEN_SECONDS * 1000;
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

  // A printer problem keeps the ticket on screen longer.
  useEffect(() => {
    if (!printerProblem) return;
    deadline.current = Math.max(deadline.current, Date.now() + TICKET_SCREEN_PROBLEM_SECONDS * 1000);
  }, [printerProblem]);

  const tz = timeZone ? { timeZone } : {};
  return (
    <main class="kiosk-main kiosk-ticket" data-testid="issued-ticket">
      <section class="ticket-slip">
        <div class="ticket-slip__head">{t('yourNumber')}</div>
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
            <dd class="hh-num">{etaText(ticket.ahead, ticket.estimatedWaitMinutes)}</dd>
          </div>
          <div>
            <dt>{t('issuedAt')}</dt>
            <dd class="hh-num">
              {formatTime(ticket.issuedAt, tz)}
              <small>{formatDate(ticket.issuedAt, tz)}</small>
            </dd>
          </div>
        </dl>

        <div class="ticket-slip__qr">
          <QrCode value={followUrl(ticket.id)} size={220} label={t('scanToFollow')} />
          <div>
            <strong>{t('scanToFollow')}</strong>
            <p>{t('keepTicket')}</p>
          </div>
        </div>

        {/* The printer slot: always laid out, filled when the kiosk's printer reports a problem. */}
        <div class={`kiosk-printer ${printerProblem ? 'is-on' : ''}`} role="status" aria-live="assertive" data-testid="printer-slot">
          {printerProblem ? (
            <>
              <strong>{t(printerProblem.mayBeOnPaper ? 'printerMaybePrinted' : 'printerProblem')}</strong>
              <small>{t(printerProblem.mayBeOnPaper ? 'printerMaybePrintedHint' : 'printerProblemHint')}</small>
            </>
          ) : null}
        </div>
      </section>

      <div class="kiosk-ticket__actions">
        <button type="button" class="hh-btn hh-btn--primary hh-btn--xl kiosk-ticket__done" onClick={onDone}>
          {t('done')}
        </button>
        <span class="kiosk-ticket__countdown">{t('backIn', { n: left })}</span>
      </div>
    </main>
  );
}
