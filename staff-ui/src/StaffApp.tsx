import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Counter, Hall, Service } from '../../protocol/index.js';
import { Clock, LanguageSwitch, Lazy, OfflineBanner, SocketContext, createSocketStore, errorMessage, useHubEvent, useLoad, useSocketStore, type StaffSession } from '../../ui-kit/index.js';
import { CounterPicker } from './CounterPicker.js';
import { setWorkspace, workspaceOf } from './admin/workspace.js';
import { Console } from './Console.js';
import { t } from './messages.js';
import { api, endSession, rememberCounter, rememberedCounter, signOut } from './session.js';

/** The signed-in part of the staff app: one socket for the session; the admin pages, the counter picker or the console. */
export function StaffApp({ session }: { session: StaffSession }) {
  const store = useMemo(() => createSocketStore({ token: session.token }), [session.token]);
  useEffect(() => () => store.close(), [store]);
  return (
    <SocketContext.Provider value={store}>
      {workspaceOf(session.user) === 'admin' ? <Lazy load={() => import('./admin/AdminApp.js')} props={{ session }} /> : <Workspace session={session} />}
    </SocketContext.Provider>
  );
}

function Workspace({ session }: { session: StaffSession }) {
  const store = useSocketStore();
  const reloadKey = store.reloads.value;
  const hall = useLoad(() => api.get<Hall>('/hall'), [reloadKey]);
  const services = useLoad(() => api.get<Service[]>('/services'), [reloadKey]);
  const countersLoad = useLoad(() => api.get<Counter[]>('/counters'), [reloadKey]);
  const [counters, setCounters] = useState<Counter[] | null>(null);
  const [counterId, setCounterId] = useState<number | null>(rememberedCounter());

  useEffect(() => {
    if (countersLoad.data) setCounters(countersLoad.data);
  }, [countersLoad.data]);

  // Resume at the counter this staff member already has open (reload, second tab, reconnect).
  useEffect(() => {
    if (!counters) return;
    const mine = counters.find((c) => c.staff?.id === session.user.id && c.status !== 'closed');
    if (mine && counterId !== mine.id) select(mine.id);
    if (!mine && counterId !== null) {
      const chosen = counters.find((c) => c.id === counterId);
      if (!chosen || chosen.staff?.id !== session.user.id) select(null);
    }
  }, [counters]);

  useEffect(() => {
    if (store.status.value === 'unauthorized') endSession(t('sessionExpired'));
  }, [store.status.value]);

  useHubEvent('counter:update', (c) => {
    setCounters((list) => (list ? (list.some((x) => x.id === c.id) ? list.map((x) => (x.id === c.id ? c : x)) : [...list, c]) : list));
  });

  function select(id: number | null) {
    rememberCounter(id);
    setCounterId(id);
  }

  const counter = counterId !== null ? counters?.find((c) => c.id === counterId) ?? null : null;
  const updateCounter = (c: Counter) => setCounters((list) => (list ? list.map((x) => (x.id === c.id ? c : x)) : [c]));

  return (
    <div class="staff">
      <OfflineBanner />
      <header class="staff-header">
        <div class="staff-brand">
          <span class="hh-emblem" aria-hidden="true">★</span>
          <div>
            <div class="staff-brand__hall">{hall.data?.name ?? t('product')}</div>
            {counter ? (
              <div class="staff-brand__counter" data-testid="console-counter">
                {counter.name}
              </div>
            ) : null}
          </div>
        </div>
        <div class="staff-header__right">
          <div class="staff-user">
            <span class="staff-user__name">{session.user.name}</span>
          </div>
          {session.user.role !== 'staff' ? (
            <button type="button" class="hh-btn hh-btn--ghost hh-btn--sm staff-logout" data-testid="to-admin" onClick={() => setWorkspace(session.user.id, 'admin')}>
              {t('adminPages')}
            </button>
          ) : null}
          <LanguageSwitch />
          <Clock date={false} {...(hall.data?.timezone ? { timeZone: hall.data.timezone } : {})} />
          <button type="button" class="hh-btn hh-btn--ghost hh-btn--sm staff-logout" onClick={() => void signOut()}>
            {t('logout')}
          </button>
        </div>
      </header>

      {counters === null ? (
        <main class="staff-main">
          {countersLoad.error ? <p class="hh-alert hh-alert--error">{errorMessage(countersLoad.error)}</p> : <p class="hh-loading">{t('loadingCounters')}</p>}
        </main>
      ) : counter && counter.status !== 'closed' && counter.staff?.id === session.user.id ? (
        <Console
          counter={counter}
          counters={counters}
          services={services.data ?? []}
          session={session}
          timeZone={hall.data?.timezone}
          onCounter={updateCounter}
          onClosed={(c) => {
            updateCounter(c);
            select(null);
          }}
        />
      ) : (
        <CounterPicker
          counters={counters}
          services={services.data ?? []}
          me={session.user.id}
          onOpened={(c) => {
            updateCounter(c);
            select(c.id);
          }}
        />
      )}
    </div>
  );
}
