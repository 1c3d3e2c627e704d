import { signal } from '@preact/signals';
import { useCallback, useState } from 'preact/hooks';
import type { Department, Hall, IssuedTicket, Service } from '../../protocol/index.js';
import {
  ApiError,
  Clock,
  DeviceNotice,
  LanguageSwitch,
  OfflineBanner,
  errorMessage,
  lang,
  setLanguage,
  useHubEvent,
  useIdle,
  useLoad,
  useSocketStore,
  type ApiClient,
} from '../../ui-kit/index.js';
import { t } from './messages.js';
import { printerProblem, usePrinterWatch } from './printer.js';
import { ServicePicker } from './ServicePicker.js';
import { TicketScreen } from './TicketScreen.js';
import { Catalogue } from './catalogue/Catalogue.js';
import { t as ct } from './catalogue/messages.js';
import './catalogue/catalogue.css';

/** Waiting people per service id, from `GET /services` then every `queue:update`. */
const waiting = signal<ReadonlyMap<number, number>>(new Map());

type View = { kind: 'home' } | { kind: 'catalogue' } | { kind: 'ticket'; ticket: IssuedTicket };

const HOME_IDLE_MS = 20_000;

/** The ticket kiosk: choose a service (optionally priority), get a number with its QR code. */
export function KioskApp({ api }: { api: ApiClient }) {
  const store = useSocketStore();
  // Every reconnect and every set-up change re-reads the hall set-up (services opened, closed or renamed).
  const reloadKey = store.reloads.value;
  const hall = useLoad(() => api.get<Hall>('/hall'), [reloadKey]);
  const services = useLoad(async () => {
    const list = await api.get<Service[]>('/services');
    const next = new Map(waiting.value);
    for (const s of list) if (typeof s.waiting === 'number') next.set(s.id, s.waiting);
    waiting.value = next;
    return list;
  }, [reloadKey]);
  const departments = useLoad(() => api.get<Department[]>('/departments'), [reloadKey]);
  usePrinterWatch(api, reloadKey);

  useHubEvent(
    'queue:update',
    (u) => {
      const next = new Map(waiting.value);
      for (const s of u.services) next.set(s.serviceId, s.waiting);
      waiting.value = next;
    },
    { replay: true },
  );

  const [view, setView] = useState<View>({ kind: 'home' });
  const [priority, setPriority] = useState(false);
  const [departmentId, setDepartmentId] = useState<number | 'other' | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The last refusal was the kiosk's pace (too many tickets a minute): asked to wait, not told of a failure. */
  const [paced, setPaced] = useState(false);

  const reset = useCallback(() => {
    setView({ kind: 'home' });
    setPriority(false);
    setDepartmentId(null);
    setError(null);
    setLanguage('vi');
  }, []);

  const dirty = view.kind === 'catalogue' || (view.kind === 'home' && (priority || departmentId !== null || error !== null || lang.value !== 'vi'));
  useIdle(HOME_IDLE_MS, reset, dirty);

  const issue = async (service: Service) => {
    if (busy !== null) return;
    setBusy(service.id);
    setError(null);
    try {
      const ticket = await api.action<IssuedTicket>('/tickets', { serviceId: service.id, priority });
      setView({ kind: 'ticket', ticket });
      setPriority(false);
      setDepartmentId(null);
    } catch (err) {
      const overPace = err instanceof ApiError && err.code === 'kiosk_over_pace';
      setPaced(overPace);
      setError(overPace ? t('overPace') : err instanceof ApiError ? err.message : errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  if (store.status.value === 'unauthorized') return <DeviceNotice reason="rejected" />;

  const hallName = hall.data?.name ?? '';
  const timeZone = hall.data?.timezone;

  return (
    <div class={`kiosk ${view.kind === 'ticket' ? 'kiosk--ticket' : ''}`}>
      <OfflineBanner />
      <header class="kiosk-header">
        <div class="kiosk-header__brand">
          <span class="hh-emblem" aria-hidden="true">★</span>
          <div>
            <div class="kiosk-header__kicker">{t('kioskTitle')}</div>
            <h1 class="kiosk-header__hall" data-testid="hall-name">
              {hallName || '\u00a0'}
            </h1>
          </div>
        </div>
        <Clock {...(timeZone ? { timeZone } : {})} />
      </header>

      {view.kind === 'ticket' ? (
        <TicketScreen
          ticket={view.ticket}
          printerProblem={printerProblem.value}
          timeZone={timeZone}
          keepMinutes={hall.data?.screens?.unprintedTicketMinutes}
          onDone={reset}
        />
      ) : view.kind === 'catalogue' ? null : (
        <ServicePicker
          services={services.data}
          departments={departments.data ?? []}
          loadFailed={services.data === null && services.error !== null}
          waiting={waiting.value}
          priority={priority}
          onPriority={setPriority}
          departmentId={departmentId}
          onDepartment={setDepartmentId}
          busy={busy}
          onPick={(s) => void issue(s)}
        />
      )}

      {view.kind === 'catalogue' ? (
        <main class="kiosk-main">
          <button type="button" class="hh-btn hh-btn--xl kiosk-catalogue-back" onClick={() => setView({ kind: 'home' })}>
            {ct('back')}
          </button>
          <Catalogue
            api={api}
            busy={busy !== null}
            onTakeNumber={(item) => {
              const service = services.data?.find((s) => s.id === item.serviceId);
              if (service) void issue(service);
              else setError(t('serviceClosed'));
            }}
          />
        </main>
      ) : null}

      {view.kind === 'home' && services.data !== null ? (
        <div class="kiosk-catalogue-open">
          <button type="button" class="hh-btn hh-btn--xl" data-testid="open-catalogue" onClick={() => setView({ kind: 'catalogue' })}>
            {ct('title')}
          </button>
        </div>
      ) : null}

      {error !== null && view.kind !== 'ticket' ? (
        <div class="kiosk-modal" role="alertdialog" aria-labelledby="kiosk-error-title">
          <div class="kiosk-modal__card">
            <h2 id="kiosk-error-title">{paced ? t('overPaceTitle') : t('errorTitle')}</h2>
            <p data-testid="kiosk-error">{error}</p>
            <button type="button" class="hh-btn hh-btn--primary hh-btn--xl" onClick={() => setError(null)}>
              {t('done')}
            </button>
          </div>
        </div>
      ) : null}

      {view.kind === 'home' ? (
        <footer class="kiosk-footer">
          {printerProblem.value ? (
            <div class="kiosk-printer kiosk-printer--home" role="status">
              {t('printerProblem')}
            </div>
          ) : (
            <span>{t('footer')}</span>
          )}
          <LanguageSwitch size="touch" />
        </footer>
      ) : null}
    </div>
  );
}
