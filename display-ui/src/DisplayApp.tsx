import { useMemo, useState } from 'preact/hooks';
import type { CallEvent, Counter, DisplaySnapshot } from '../../protocol/index.js';
import { Clock, DeviceNotice, LanguageSwitch, OfflineBanner, formatTime, useHubEvent, useSocketStore } from '../../ui-kit/index.js';
import type { Announcer, AnnouncedCall } from './announcer.js';
import { t } from './messages.js';

type DisplayCounter = DisplaySnapshot['counters'][number];

const RECENT_MAX = 10;

const callKey = (c: CallEvent) => `${c.ticketId}|${c.counterId}|${c.at}`;

function statusLabel(status: string): string {
  switch (status) {
    case 'open':
      return t('status_open');
    case 'paused':
      return t('status_paused');
    default:
      return t('status_closed');
  }
}

/** The hall TV: the call being announced, every counter's number, and the latest calls. */
export function DisplayApp({ announcer }: { announcer: Announcer }) {
  const store = useSocketStore();
  const [hallName, setHallName] = useState('');
  const [counters, setCounters] = useState<DisplayCounter[]>([]);
  const [recent, setRecent] = useState<CallEvent[]>([]);

  useHubEvent(
    'display:snapshot',
    (s) => {
      // A (re)connect: the snapshot is the truth; nothing in it is announced again.
      setHallName(s.hallName);
      setCounters([...s.counters].sort((a, b) => a.number - b.number));
      setRecent(s.recentCalls.slice(0, RECENT_MAX));
    },
    { replay: true },
  );

  useHubEvent('call', (call) => {
    setCounters((list) => list.map((c) => (c.id === call.counterId ? { ...c, currentNumber: call.number, status: c.status === 'closed' ? 'open' : c.status } : c)));
    setRecent((list) => [call, ...list.filter((c) => callKey(c) !== callKey(call))].slice(0, RECENT_MAX));
    announcer.enqueue(call);
  });

  useHubEvent('counter:update', (counter: Counter) => {
    setCounters((list) => {
      const known = list.some((c) => c.id === counter.id);
      const next = known
        ? list.map((c) =>
            c.id === counter.id
              ? { ...c, name: counter.name, number: counter.number, status: counter.status, currentNumber: counter.currentTicket?.number ?? c.currentNumber }
              : c,
          )
        : [...list, { id: counter.id, number: counter.number, name: counter.name, status: counter.status, currentNumber: counter.currentTicket?.number ?? null }];
      return next.sort((a, b) => a.number - b.number);
    });
  });

  const current: AnnouncedCall | null = announcer.current.value ?? recent[0] ?? null;
  const flashing = announcer.current.value !== null;
  const seq = announcer.sequence.value;
  const offline = store.offline.value;
  const cols = useMemo(() => (counters.length <= 4 ? 2 : counters.length <= 9 ? 3 : 4), [counters.length]);

  if (store.status.value === 'unauthorized') return <DeviceNotice reason="rejected" />;

  return (
    <div class={`display ${offline ? 'is-stale' : ''}`}>
      <OfflineBanner />
      <header class="display-header">
        <div class="display-header__brand">
          <span class="hh-emblem" aria-hidden="true">★</span>
          <div>
            <div class="display-header__kicker">{t('screenTitle')}</div>
            <h1 data-testid="hall-name">{hallName || '\u00a0'}</h1>
          </div>
        </div>
        <Clock seconds />
      </header>

      <div class="display-body">
        <section class="display-left">
          {current ? (
            <div key={seq} class={`call-banner ${flashing ? 'is-flashing' : ''}`} data-testid="call-banner" aria-live="assertive">
              <div class="call-banner__invite">
                {t('inviteCitizen')}
                {current.recall ? <span class="call-banner__recall">{t('recall')}</span> : null}
              </div>
              <div class="call-banner__line">
                <span class="call-banner__number hh-num" data-testid="banner-number">
                  {current.number}
                </span>
                <span class="call-banner__to">{t('toCounter')}</span>
                <span class="call-banner__counter" data-testid="banner-counter">
                  {t('counter', { n: current.counterNumber })}
                </span>
              </div>
              <div class="call-banner__service">{current.serviceName}</div>
            </div>
          ) : (
            <div class="call-banner call-banner--idle" data-testid="call-banner">
              <div class="call-banner__welcome">{t('waitingFirstCall')}</div>
              <div class="call-banner__service">{t('waitingFirstCallHint')}</div>
            </div>
          )}

          <div class="counter-grid" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))` }}>
            {counters.map((c) => {
              const hot = current !== null && flashing && current.counterId === c.id;
              return (
                <div
                  key={c.id}
                  class={`counter-tile counter-tile--${c.status} ${hot ? 'is-hot' : ''}`}
                  data-testid="counter-tile"
                  data-counter-id={c.id}
                  data-counter-number={c.number}
                >
                  <div class="counter-tile__head">
                    <span class="counter-tile__label">
                      {t('counterLabel')} <b class="hh-num">{c.number}</b>
                    </span>
                    <span class="counter-tile__status">{statusLabel(c.status)}</span>
                  </div>
                  <div class="counter-tile__number hh-num" data-testid="counter-number">
                    {c.status === 'closed' ? t('noNumber') : c.currentNumber ?? t('noNumber')}
                  </div>
                  <div class="counter-tile__name">{c.name}</div>
                </div>
              );
            })}
          </div>
        </section>

        <aside class="display-recent">
          <h2>{t('recentCalls')}</h2>
          {recent.length === 0 ? (
            <p class="display-recent__empty">{t('noCalls')}</p>
          ) : (
            <ol data-testid="recent-calls">
              {recent.map((c, i) => (
                <li key={callKey(c)} class={i === 0 ? 'is-newest' : ''}>
                  <span class="display-recent__number hh-num">{c.number}</span>
                  <span class="display-recent__arrow" aria-hidden="true">
                    →
                  </span>
                  <span class="display-recent__counter">{t('counter', { n: c.counterNumber })}</span>
                  <span class="display-recent__time hh-num">{formatTime(c.at)}</span>
                </li>
              ))}
            </ol>
          )}
        </aside>
      </div>

      <footer class="display-footer">
        <div class="display-ticker">
          <span>{t('ticker')}</span>
        </div>
        <LanguageSwitch />
      </footer>
    </div>
  );
}
