/**
 * The lookup kiosk (/kiosk/lookup, with a `lookup` device token) and the public lookup page (/lookup, no token).
 *
 * A code arrives by a keyboard-wedge scanner (fast keystrokes ending in Enter, anywhere on the page), by a serial
 * scanner through the hub or an agent (socket event `scan`), by the on-screen keyboard (kiosk), by the text field
 * (public page) or by `?code=` (the QR code on the receipt). The kiosk goes back to its idle screen after 30 s
 * without a touch (`?idle=<seconds>` in the address changes it).
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isDossierCode, parseLookupInput, type PublicDossier } from '../../../protocol/dossiers.js';
import type { Hall } from '../../../protocol/setup.js';
import {
  ApiError,
  Button,
  Clock,
  DeviceNotice,
  LanguageSwitch,
  OfflineBanner,
  SocketContext,
  captureDeviceToken,
  createApi,
  createSocketStore,
  errorMessage,
  lang,
  setLanguage,
  useHubEvent,
  useLoad,
  useNow,
  type ApiClient,
  type SocketStore,
} from '../../../ui-kit/index.js';
import { DossierView } from './DossierView.js';
import { expandCode } from './code.js';
import { Keypad } from './Keypad.js';
import { t } from './messages.js';
import { WedgeDetector } from './scanner.js';
import './lookup.css';

export const IDLE_MS = 30_000;


/** Milliseconds before the kiosk goes back to idle: 30 s, or `?idle=<seconds>` (5–600) in the address. */
function idleMs(): number {
  const n = Number(new URLSearchParams(window.location.search).get('idle'));
  return Number.isInteger(n) && n >= 5 && n <= 600 ? n * 1000 : IDLE_MS;
}

type Mode = 'kiosk' | 'public';
type View =
  | { kind: 'idle' }
  | { kind: 'keypad'; value: string }
  | { kind: 'loading'; code: string }
  | { kind: 'found'; dossier: PublicDossier }
  | { kind: 'notFound'; code: string }
  | { kind: 'malformed'; code: string }
  | { kind: 'error'; code: string; message: string };

export default function LookupApp() {
  return /^\/kiosk\//.test(window.location.pathname) ? <KioskLookup /> : <PublicLookup />;
}

function PublicLookup() {
  const api = useMemo(() => createApi(), []);
  return <LookupScreen mode="public" api={api} />;
}

function KioskLookup() {
  const token = useMemo(() => captureDeviceToken('lookup'), []);
  const store = useMemo(() => (token ? createSocketStore({ token, heartbeat: true }) : null), [token]);
  const api = useMemo(() => createApi({ token: () => token }), [token]);
  useEffect(() => () => store?.close(), [store]);
  if (!token || !store) return <DeviceNotice reason="no-token" />;
  if (store.status.value === 'unauthorized') return <DeviceNotice reason="rejected" />;
  return (
    <SocketContext.Provider value={store}>
      <LookupScreen mode="kiosk" api={api} store={store} />
    </SocketContext.Provider>
  );
}

/** Seconds left before the kiosk goes back to idle; restarts on every touch or key. */
function useIdleCountdown(ms: number, enabled: boolean, onIdle: () => void, restartKey: unknown): number {
  const last = useRef(Date.now());
  const cb = useRef(onIdle);
  cb.current = onIdle;
  const now = useNow();
  useEffect(() => {
    last.current = Date.now();
  }, [restartKey, enabled]);
  useEffect(() => {
    if (!enabled) return undefined;
    const touch = () => (last.current = Date.now());
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true, capture: true });
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
    };
  }, [enabled]);
  const left = Math.ceil((ms - Math.max(0, now - last.current)) / 1000);
  useEffect(() => {
    if (enabled && left <= 0) cb.current();
  }, [enabled, left]);
  return Math.max(0, left);
}

function LookupScreen({ mode, api, store }: { mode: Mode; api: ApiClient; store?: SocketStore }) {
  const [view, setView] = useState<View>({ kind: 'idle' });
  const [typed, setTyped] = useState('');
  const request = useRef(0);
  const kiosk = mode === 'kiosk';
  const reloadKey = store ? store.reloads.value : 0;
  const hall = useLoad<Hall | null>(() => (kiosk ? api.get<Hall>('/hall') : Promise.resolve(null)), [kiosk, reloadKey]);

  const prefix = useLoad<{ agencyId: string; today: string } | null>(
    () => (kiosk ? api.get<{ agencyId: string; today: string }>('/lookup/prefix').catch(() => null) : Promise.resolve(null)),
    [kiosk, reloadKey],
  );

  const lookup = useCallback(
    async (raw: string) => {
      const parsed = parseLookupInput(raw);
      const code = expandCode(parsed.code, prefix.data ?? null);
      const key = parsed.key && /^[A-Z0-9]{1,40}$/.test(parsed.key) ? parsed.key : null;
      const mine = ++request.current;
      if (!isDossierCode(code)) {
        setView({ kind: 'malformed', code: raw.trim().slice(0, 60) });
        return;
      }
      setView({ kind: 'loading', code });
      try {
        const dossier = await api.get<PublicDossier>(`/dossiers/${encodeURIComponent(code)}${key ? `?key=${key}` : ''}`);
        if (mine === request.current) setView({ kind: 'found', dossier });
      } catch (err) {
        if (mine !== request.current) return;
        if (err instanceof ApiError && err.status === 404) setView({ kind: 'notFound', code });
        else if (err instanceof ApiError && err.code === 'malformed_code') setView({ kind: 'malformed', code });
        else setView({ kind: 'error', code, message: errorMessage(err) });
      }
    },
    [api, prefix.data],
  );

  const reset = useCallback(() => {
    request.current++;
    setView({ kind: 'idle' });
    setTyped('');
    if (kiosk) setLanguage('vi');
  }, [kiosk]);

  // A code in the address (the QR code of the receipt leads to /lookup?code=…).
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const code = q.get('code');
    const key = q.get('key');
    if (code) void lookup(key ? `${code}/${key}` : code);
  }, [lookup]);

  // Keyboard-wedge scanners: fast keystrokes then Enter, wherever the focus is (except in a text field).
  useEffect(() => {
    const detector = new WedgeDetector();
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable)) return;
      const code = detector.feed(e.key, e.timeStamp);
      if (code !== null) {
        e.preventDefault();
        void lookup(code);
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [lookup]);

  // A serial scanner on the hub or on this kiosk's agent.
  useHubEvent('scan', (s) => void lookup(s.code));

  const busy = view.kind !== 'idle' || lang.value !== 'vi';
  const idle = useMemo(idleMs, []);
  const secondsLeft = useIdleCountdown(idle, kiosk && busy, reset, view);

  const title = kiosk ? hall.data?.name ?? t('title') : t('publicTitle');
  const kicker = kiosk ? t('kicker') : view.kind === 'found' ? view.dossier.hallName : t('title');
  return (
    <div class={`lk lk--${mode}`} data-view={view.kind}>
      <header class="lk-header">
        <div class="lk-header__brand">
          <span class="hh-emblem" aria-hidden="true">
            ★
          </span>
          <div>
            <div class="lk-header__kicker">{kicker}</div>
            <h1 class="lk-header__title">{title}</h1>
          </div>
        </div>
        <div class="lk-header__side">
          <LanguageSwitch size={kiosk ? 'touch' : 'normal'} />
          {kiosk ? <Clock /> : null}
        </div>
      </header>
      <OfflineBanner />
      <main class="lk-main">
        <Body view={view} mode={mode} typed={typed} setTyped={setTyped} lookup={lookup} reset={reset} openKeypad={() => setView({ kind: 'keypad', value: prefix.data ? `${prefix.data.agencyId}-${prefix.data.today}-` : '' })} setView={setView} />
      </main>
      {kiosk && busy && view.kind !== 'keypad' ? (
        <footer class="lk-footer" aria-live="off">
          {t('autoBack', { n: secondsLeft })}
        </footer>
      ) : null}
    </div>
  );
}

interface BodyProps {
  view: View;
  mode: Mode;
  typed: string;
  setTyped: (v: string) => void;
  lookup: (code: string) => Promise<void>;
  reset: () => void;
  openKeypad: () => void;
  setView: (v: View) => void;
}

function Body({ view, mode, typed, setTyped, lookup, reset, openKeypad, setView }: BodyProps) {
  switch (view.kind) {
    case 'idle':
      return <Idle mode={mode} typed={typed} setTyped={setTyped} lookup={lookup} openKeypad={openKeypad} />;
    case 'keypad':
      return (
        <Keypad
          value={view.value}
          onChange={(value) => setView({ kind: 'keypad', value })}
          onSubmit={() => void lookup(view.value)}
          onClose={reset}
        />
      );
    case 'loading':
      return (
        <div class="lk-message" role="status">
          <div class="lk-spinner" aria-hidden="true" />
          <p class="lk-message__text">{t('searching', { code: view.code })}</p>
        </div>
      );
    case 'found':
      return (
        <>
          <DossierView dossier={view.dossier} />
          <Actions mode={mode} reset={reset} openKeypad={openKeypad} primary="another" />
        </>
      );
    case 'notFound':
      return (
        <Problem tone="bad" title={t('notFound')} text={t('notFoundHint', { code: view.code })} testId="not-found">
          <Actions mode={mode} reset={reset} openKeypad={openKeypad} primary="retype" />
        </Problem>
      );
    case 'malformed':
      return (
        <Problem tone="warn" title={t('malformed')} text={t('malformedHint', { code: view.code })} testId="malformed">
          <Actions mode={mode} reset={reset} openKeypad={openKeypad} primary="retype" />
        </Problem>
      );
    case 'error':
      return (
        <Problem tone="warn" title={t('problem')} text={view.message} testId="lookup-error">
          <Actions mode={mode} reset={reset} openKeypad={openKeypad} primary="retype" />
        </Problem>
      );
  }
}

function Idle({ mode, typed, setTyped, lookup, openKeypad }: { mode: Mode; typed: string; setTyped: (v: string) => void; lookup: (c: string) => Promise<void>; openKeypad: () => void }) {
  return (
    <section class="lk-idle" data-testid="idle">
      <div class="lk-idle__art" aria-hidden="true">
        <div class="lk-receipt">
          <div class="lk-receipt__lines" />
          <div class="lk-receipt__barcode" />
        </div>
        <div class="lk-beam" />
      </div>
      <h2 class="lk-idle__invite">{t('scanInvite')}</h2>
      <p class="lk-idle__hint">{t('scanHint')}</p>
      <div class="lk-idle__or">
        <span>{t('or')}</span>
      </div>
      {mode === 'kiosk' ? (
        <Button size="xl" variant="primary" onClick={openKeypad} class="lk-idle__type">
          ⌨ {t('typeCode')}
        </Button>
      ) : (
        <form
          class="lk-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed.trim()) void lookup(typed);
          }}
        >
          <label class="lk-form__label" for="lk-input">
            {t('typeCode')}
          </label>
          <div class="lk-form__row">
            <input
              id="lk-input"
              class="lk-form__input"
              value={typed}
              onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
              placeholder={t('codePlaceholder')}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              maxLength={60}
              inputMode="text"
            />
            <Button type="submit" size="lg" disabled={!typed.trim()}>
              {t('search')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function Problem({ tone, title, text, testId, children }: { tone: 'bad' | 'warn'; title: string; text: string; testId: string; children?: ComponentChildren }) {
  return (
    <section class={`lk-problem lk-problem--${tone}`} data-testid={testId} role="alert">
      <span class="lk-problem__icon" aria-hidden="true">
        {tone === 'bad' ? '?' : '!'}
      </span>
      <h2 class="lk-problem__title">{title}</h2>
      <p class="lk-problem__text">{text}</p>
      {children}
    </section>
  );
}

function Actions({ mode, reset, openKeypad, primary }: { mode: Mode; reset: () => void; openKeypad: () => void; primary: 'another' | 'retype' }) {
  return (
    <div class="lk-actions">
      {primary === 'retype' && mode === 'kiosk' ? (
        <Button size="xl" variant="primary" onClick={openKeypad}>
          {t('retype')}
        </Button>
      ) : null}
      <Button size={mode === 'kiosk' ? 'xl' : 'lg'} variant={primary === 'another' ? 'primary' : 'secondary'} onClick={reset}>
        {primary === 'another' ? t('another') : t('backHome')}
      </Button>
    </div>
  );
}
