import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CallEvent, Counter, DisplaySnapshot } from '../../protocol/index.js';
import { Clock, DeviceNotice, OfflineBanner, formatTime, setLanguage, useHubEvent, useSocketStore } from '../../ui-kit/index.js';
import type { Announcer, AnnouncedCall } from './announcer.js';
import { t } from './messages.js';

type DisplayCounter = DisplaySnapshot['counters'][number];
type Lang = 'vi' | 'en';

const RECENT_MAX = 10;
/** After a reconnect, calls this recent that the display has not announced are announced (in order, once). */
export const MISSED_CALL_MS = 60_000;
/** With two hall languages, the display switches between them this often. */
export const LANGUAGE_PERIOD_MS = 12_000;
/** Rows of counter tiles the screen has room for (the columns follow from the number of counters). */
const TILE_ROWS = 3;

const callKey = (c: CallEvent) => `${c.ticketId}|${c.counterId}|${c.at}`;

/** "Quầy 1 – Hộ tịch" under the tile "QUẦY 1" reads "Hộ tịch". */
export function tileName(c: Pick<DisplayCounter, 'name' | 'number'>): string {
  const m = new RegExp(`^\\s*(quầy|counter)\\s*${c.number}\\s*[–—:-]\\s*`, 'i').exec(c.name);
  return m ? c.name.slice(m[0].length) : c.name;
}

/** The languages a hall set, alternating; anything unknown falls back to Vietnamese. */
function useHallLanguages(languages: readonly string[] | undefined): void {
  const list = useMemo(() => {
    const known = (languages ?? []).filter((l): l is Lang => l === 'vi' || l === 'en');
    return known.length ? known : (['vi'] as Lang[]);
  }, [(languages ?? []).join(',')]);
  useEffect(() => {
    let i = 0;
    setLanguage(list[0]!);
    if (list.length < 2) return;
    const timer = setInterval(() => {
      i = (i + 1) % list.length;
      setLanguage(list[i]!);
    }, LANGUAGE_PERIOD_MS);
    return () => clearInterval(timer);
  }, [list]);
}

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
  const [languages, setLanguages] = useState<string[] | undefined>(undefined);
  // Calls this display has shown (announced, or already old when it first connected).
  const seen = useRef<Set<string> | null>(null);
  useHallLanguages(languages);

  const remember = (c: CallEvent) => {
    const set = seen.current ?? (seen.current = new Set());
    set.add(callKey(c));
    if (set.size > 300) set.delete(set.values().next().value!);
  };

  useHubEvent(
    'display:snapshot',
    (s) => {
      // The snapshot is the truth for the tiles. On the first one nothing is announced; after a reconnect, the
      // calls of the last minute this display missed are flashed and spoken, oldest first, once.
      setHallName(s.hallName);
      setLanguages(s.languages);
      setCounters([...s.counters].sort((a, b) => a.number - b.number));
      setRecent(s.recentCalls.slice(0, RECENT_MAX));
      const first = seen.current === null;
      const now = Date.parse(s.at);
      const missed = first ? [] : s.recentCalls.filter((c) => !seen.current!.has(callKey(c)) && now - Date.parse(c.at) <= MISSED_CALL_MS).reverse();
      for (const c of s.recentCalls) remember(c);
      if (first && s.recentCalls.length === 0) seen.current = new Set();
      for (const c of missed) announcer.enqueue(c);
    },
    { replay: true },
  );

  useHubEvent('call', (call) => {
    setCounters((list) => list.map((c) => (c.id === call.counterId ? { ...c, currentNumber: call.number, status: c.status === 'closed' ? 'open' : c.status } : c)));
    setRecent((list) => [call, ...list.filter((c) => callKey(c) !== callKey(call))].slice(0, RECENT_MAX));
    if (seen.current?.has(callKey(call))) return;
    remember(call);
    announcer.enqueue(call);
  });

  useHubEvent('counter:update', (counter: Counter) => {
    setCounters((list) => {
      const known = list.some((c) => c.id === counter.id);
      const next = known
        ? list.map((c) =>
            c.id === counter.id
              ? { ...c, name: counter.name, number: counter.number, status: counter.status, currentNumber: counter.currentTicket?.number ?? null }
              : c,
          )
        : [...list, { id: counter.id, number: counter.number, name: counter.name, status: counter.status, currentNumber: counter.currentTicket?.number ?? null }];
      return next.sort((a, b) => a.number - b.number);
    });
  });

  const current: AnnouncedCall | null = announcer.current.value ?? recent[0] ?? null;
  const flashing = announcer.current.value !== null;
  const group = flashing ? announcer.group.value : [];
  const hotCounters = new Set(group.map((c) => c.counterId));
  const seq = announcer.sequence.value;
  const offline = store.offline.value;
  const cols = Math.max(2, Math.ceil(counters.length / TILE_ROWS));

  if (store.status.value === 'unauthorized') return <DeviceNotice reason="rejected" />;

  return (
    <div class={`display ${offline ? 'is-stale' : ''}`} style={{ '--cols': String(cols) }}>
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
          {group.length > 1 ? (
            <div key={seq} class="call-banner call-banner--group is-flashing" data-testid="call-banner" aria-live="assertive">
              <div class="call-banner__invite">{t('inviteCitizens')}</div>
              <ul class="call-banner__group" data-testid="banner-group">
                {group.map((c) => (
                  <li key={callKey(c)}>
                    <span class="call-banner__number hh-num">{c.number}</span>
                    <span class="call-banner__to">{t('toCounter')}</span>
                    <span class="call-banner__counter">{t('counter', { n: c.counterNumber })}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : current ? (
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

          <div class="counter-grid" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${Math.max(1, Math.ceil(counters.length / cols))}, minmax(0, 1fr))` }}>
            {counters.map((c) => {
              const hot = hotCounters.has(c.id);
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
                  <div class="counter-tile__name">{tileName(c)}</div>
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
        <p class="display-notice" data-testid="display-notice">
          {t('ticker')}
        </p>
      </footer>
    </div>
  );
}
