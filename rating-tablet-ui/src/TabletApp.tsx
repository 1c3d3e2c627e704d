import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  Button,
  DeviceNotice,
  LanguageSwitch,
  OfflineBanner,
  createApi,
  lang,
  useHubEvent,
  useIdle,
  useLoad,
  useSocketStore,
} from '../../ui-kit/index.js';
import { ratingLevels, ratingReasons, type RatingLevel, type RatingReason, type RatingRequest, type TabletState } from '../../protocol/ratings.js';
import { Face, levelColor } from './Faces.js';
import { enqueue, flush, isHandled, markHandled, queued } from './outbox.js';
import { t } from './messages.js';

/** A prompt nobody touches goes back to the idle screen after this long. */
const PROMPT_IDLE_MS = 90_000;
/** The thank-you screen stays this long. */
const THANKS_MS = 6_000;
/** Queued ratings are retried this often while the hub is unreachable. */
const RETRY_MS = 15_000;

type Screen = { kind: 'idle' } | { kind: 'rate'; request: RatingRequest; level: RatingLevel | null } | { kind: 'thanks'; offline: boolean };

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** The counter's rating tablet: idle (counter, staff, number) → four faces → reasons and comment → thanks. */
export function TabletApp({ token }: { token: string }) {
  const store = useSocketStore();
  const api = useMemo(() => createApi({ token: () => token }), [token]);
  const connections = store.connections.value;
  const [state, setState] = useState<TabletState | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: 'idle' });
  const screenRef = useRef(screen);
  screenRef.current = screen;

  const ask = (request: RatingRequest) => {
    if (isHandled(request.ticketId) || Date.parse(request.expiresAt) <= Date.now()) return;
    const current = screenRef.current;
    // never interrupt a citizen who is choosing a reason for the ticket before
    if (current.kind === 'rate' && current.level !== null) return;
    setScreen({ kind: 'rate', request, level: null });
  };

  // The tablet's state: at start and after every reconnect (the hub may have moved on meanwhile).
  const loaded = useLoad(() => api.get<TabletState>('/ratings/tablet'), [connections]);
  useEffect(() => {
    if (!loaded.data) return;
    setState(loaded.data);
    // only the ticket now at the counter: once another citizen is being served, an older ticket is not asked about
    const p = loaded.data.pending;
    const now = loaded.data.currentTicket;
    if (p && (!now || now.id === p.ticketId)) ask(p);
  }, [loaded.data]);

  const stateRef = useRef(state);
  stateRef.current = state;
  useHubEvent('counter:update', (counter) => {
    const current = stateRef.current;
    if (!current || counter.id !== current.counter.id) return;
    // a different staff member: fetch the state again for the photo
    if ((counter.staff?.id ?? null) !== (current.staff?.id ?? null)) loaded.reload();
    // a new citizen at the counter ends the previous one's rating: a tapped face is sent, an open question closed
    const shown = screenRef.current;
    if (shown.kind === 'rate' && counter.currentTicket && counter.currentTicket.id !== shown.request.ticketId) {
      if (shown.level !== null) send(shown.request, shown.level, [], '');
      else dismiss();
    }
    setState((s) => {
      if (!s) return s;
      return {
        ...s,
        counter: { ...s.counter, number: counter.number, name: counter.name, status: counter.status },
        staff: counter.staff ? { ...counter.staff, photoUrl: s.staff?.id === counter.staff.id ? s.staff.photoUrl : null } : null,
        currentTicket: counter.currentTicket ? { id: counter.currentTicket.id, number: counter.currentTicket.number, status: counter.currentTicket.status } : null,
      };
    });
  });
  useHubEvent('rating:request', (request) => ask(request));

  // Deliver what waits in the outbox: on every connection, when the browser is back online, and every 15 s.
  useEffect(() => {
    void flush(api);
  }, [connections, api]);
  useEffect(() => {
    const retry = () => {
      if (queued.value.length > 0) void flush(api);
    };
    const timer = setInterval(retry, RETRY_MS);
    window.addEventListener('online', retry);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', retry);
    };
  }, [api]);

  const dismiss = () => {
    const s = screenRef.current;
    if (s.kind === 'rate') markHandled(s.request.ticketId);
    setScreen({ kind: 'idle' });
  };
  useIdle(PROMPT_IDLE_MS, dismiss, screen.kind === 'rate');
  useEffect(() => {
    if (screen.kind === 'thanks') {
      const timer = setTimeout(() => setScreen({ kind: 'idle' }), THANKS_MS);
      return () => clearTimeout(timer);
    }
    if (screen.kind === 'rate') {
      const timer = setTimeout(dismiss, Math.max(0, Date.parse(screen.request.expiresAt) - Date.now()));
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [screen]);

  const send = (request: RatingRequest, level: RatingLevel, reasons: RatingReason[], comment: string) => {
    enqueue({ ticketId: request.ticketId, level, reasons, ...(comment.trim() ? { comment: comment.trim().slice(0, 1000) } : {}) });
    setScreen({ kind: 'thanks', offline: !store.online.value });
    void flush(api);
  };

  const err = loaded.error;
  if (err instanceof ApiError && err.status === 401) return <DeviceNotice reason="rejected" />;
  if (err instanceof ApiError && err.status === 403) {
    return (
      <main class="hh-device-notice">
        <div class="hh-device-notice__card" role="alert">
          <h1>{t('notPaired')}</h1>
        </div>
      </main>
    );
  }

  const pending = queued.value.length;
  return (
    <div class={`tablet tablet--${screen.kind}`} lang={lang.value}>
      <OfflineBanner />
      <header class="tablet-head">
        <div class="tablet-head__brand">
          <span class="tablet-head__emblem" aria-hidden="true">★</span>
          <div>
            <div class="tablet-head__hall">{state?.hallName ?? ''}</div>
            <div class="tablet-head__title">{t('title')}</div>
          </div>
        </div>
        <LanguageSwitch size="touch" />
      </header>
      {screen.kind === 'idle' ? <Idle state={state} /> : null}
      {screen.kind === 'rate' ? (
        <Rate
          key={screen.request.ticketId}
          request={screen.request}
          level={screen.level}
          onLevel={(level) => setScreen({ kind: 'rate', request: screen.request, level })}
          onBack={() => setScreen({ kind: 'rate', request: screen.request, level: null })}
          onSend={(reasons, comment) => screen.level !== null && send(screen.request, screen.level, reasons, comment)}
          onSkip={dismiss}
        />
      ) : null}
      {screen.kind === 'thanks' ? <Thanks offline={screen.offline} /> : null}
      <footer class="tablet-foot">
        <span>{screen.kind === 'idle' ? t('idleHint') : ''}</span>
        {pending > 0 ? (
          <span class="tablet-foot__pending" data-testid="outbox">
            {t('pending', { n: pending })}
          </span>
        ) : null}
      </footer>
    </div>
  );
}

function Idle({ state }: { state: TabletState | null }) {
  if (!state) return <main class="tablet-idle hh-loading" />;
  const { counter, staff, currentTicket } = state;
  const status = counter.status === 'closed' ? t('closed') : counter.status === 'paused' ? t('paused') : null;
  return (
    <main class="tablet-idle" data-testid="idle">
      <section class="counter-card">
        <div class="counter-card__no">{t('counter', { n: counter.number })}</div>
        <div class="counter-card__name">{counter.name}</div>
        {status ? (
          <div class="counter-card__status">{status}</div>
        ) : (
          <div class="counter-card__serving">
            <span>{currentTicket ? t('serving') : t('nobody')}</span>
            {currentTicket ? (
              <strong class="hh-num" data-testid="serving-number">
                {currentTicket.number}
              </strong>
            ) : null}
          </div>
        )}
      </section>
      <section class="staff-card">
        {staff ? (
          <>
            {staff.photoUrl ? (
              <img class="staff-card__photo" src={staff.photoUrl} alt={staff.name} />
            ) : (
              <div class="staff-card__photo staff-card__initials" aria-hidden="true">
                {initials(staff.name)}
              </div>
            )}
            <div class="staff-card__label">{t('onDuty')}</div>
            <div class="staff-card__name" data-testid="staff-name">
              {staff.name}
            </div>
            {staff.title ? <div class="staff-card__title">{staff.title}</div> : null}
          </>
        ) : (
          <div class="staff-card__none">{t('noStaff')}</div>
        )}
      </section>
    </main>
  );
}

function Rate(props: {
  request: RatingRequest;
  level: RatingLevel | null;
  onLevel: (level: RatingLevel) => void;
  onBack: () => void;
  onSend: (reasons: RatingReason[], comment: string) => void;
  onSkip: () => void;
}) {
  const { request, level } = props;
  const [reasons, setReasons] = useState<RatingReason[]>([]);
  const [comment, setComment] = useState('');
  const en = lang.value === 'en';
  const label = (l: (typeof ratingLevels)[number]) => (en ? l.en : l.vi);
  const toggle = (r: RatingReason) => setReasons((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]));

  return (
    <main class="tablet-rate" data-testid="rate">
      <h1 class="tablet-rate__q">{t('question', { number: request.number })}</h1>
      <p class="tablet-rate__sub">{t('questionSub', { staff: request.staffName, service: request.serviceName })}</p>
      {level === null ? (
        <>
          <div class="faces" role="group" aria-label={t('tapFace')}>
            {ratingLevels.map((l) => (
              <button
                type="button"
                key={l.level}
                class="face-btn"
                style={{ '--face': levelColor[l.level] }}
                data-level={l.level}
                onClick={() => props.onLevel(l.level)}
              >
                <Face level={l.level} size={150} />
                <span class="face-btn__label">{label(l)}</span>
              </button>
            ))}
          </div>
          <div class="tablet-rate__actions">
            <Button variant="ghost" size="lg" class="skip" onClick={props.onSkip}>
              {t('skip')}
            </Button>
          </div>
        </>
      ) : (
        <div class="details">
          <div class="details__chosen" style={{ '--face': levelColor[level] }}>
            <Face level={level} size={96} />
            <span>{label(ratingLevels.find((l) => l.level === level)!)}</span>
            <Button variant="secondary" size="md" onClick={props.onBack}>
              {t('back')}
            </Button>
          </div>
          <div class="details__form">
            <h2>{level >= 3 ? t('reasonsPositive') : t('reasonsNegative')}</h2>
            <div class="chips">
              {ratingReasons.map((r) => (
                <button type="button" key={r.code} class={reasons.includes(r.code) ? 'chip is-on' : 'chip'} aria-pressed={reasons.includes(r.code)} onClick={() => toggle(r.code)}>
                  {en ? r.en : r.vi}
                </button>
              ))}
            </div>
            <label class="details__comment">
              <span>{t('comment')}</span>
              <textarea rows={2} maxLength={1000} placeholder={t('commentPlaceholder')} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
            </label>
            <div class="details__actions">
              <Button variant="ghost" size="lg" onClick={props.onSkip}>
                {t('skip')}
              </Button>
              <Button variant="primary" size="xl" class="send" onClick={() => props.onSend(reasons, comment)}>
                {t('send')}
              </Button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}

function Thanks({ offline }: { offline: boolean }) {
  return (
    <main class="tablet-thanks" data-testid="thanks" aria-live="polite">
      <Face level={4} size={180} />
      <h1>{t('thanks')}</h1>
      <p>{t('thanksSub')}</p>
      {offline ? <p class="tablet-thanks__queued">{t('queued')}</p> : null}
    </main>
  );
}
