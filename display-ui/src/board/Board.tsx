import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ApiError,
  Clock,
  LanguageSwitch,
  OfflineBanner,
  SocketContext,
  createApi,
  createSocketStore,
  formatDuration,
  formatTime,
  lang,
  localized,
  useNow,
  type SocketStore,
} from '../../../ui-kit/index.js';
import type { BoardAlert, BoardSnapshot, CounterOnBoard, DeviceOnBoard, ServiceOnBoard } from '../../../protocol/board.js';
import type { ApiClient } from '../../../ui-kit/index.js';
import { WaitChart } from './WaitChart.js';
import { IndicatorsPanel } from '../figures/IndicatorsPanel.js';
import { t } from './messages.js';

/** Without a socket, the board asks over HTTP this often. */
const POLL_MS = 30_000;

interface Live {
  board: BoardSnapshot;
  /** Server clock minus this browser's clock when the snapshot arrived, so durations tick on server time. */
  skew: number;
}

const minutes = (seconds: number | null) => (seconds === null ? '–' : `${Math.round(seconds / 60)}′`);
const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);

/** The live board for one token: socket.io updates (coalesced by the hub), HTTP while the socket is down. */
export function Board({ token, userName, onSignOut }: { token: string; userName: string | null; onSignOut: () => void }) {
  const store = useMemo<SocketStore>(() => createSocketStore({ token }), [token]);
  const api = useMemo(() => createApi({ token: () => token, onUnauthorized: onSignOut }), [token]);
  const [live, setLive] = useState<Live | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const connections = store.connections.value;
  const online = store.online.value;

  const take = (board: BoardSnapshot) => setLive({ board, skew: Date.parse(board.at) - Date.now() });

  useEffect(() => () => store.close(), [store]);
  useEffect(() => store.on('board:update', take), [store]);
  // (Re)join the board's updates on every connection; the ack carries a fresh snapshot.
  useEffect(() => {
    if (connections === 0) return;
    store.socket.emit('board:subscribe', (reply) => {
      if (reply.ok && reply.data) take(reply.data);
      else if (!reply.ok && reply.error.code === 'forbidden') setForbidden(true);
    });
  }, [connections, store]);
  // HTTP: the first paint, then every 30 s while the socket is down.
  useEffect(() => {
    if (online && live) return undefined;
    let stop = false;
    const load = () =>
      api
        .get<BoardSnapshot>('/board')
        .then((b) => {
          if (!stop) take(b);
        })
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 403) setForbidden(true);
        });
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [online, api]);

  if (forbidden) {
    return (
      <main class="hh-device-notice">
        <div class="hh-device-notice__card" role="alert">
          <h1>{t('forbidden')}</h1>
          <button type="button" class="hh-btn hh-btn--primary hh-btn--lg" onClick={onSignOut}>
            {t('logout')}
          </button>
        </div>
      </main>
    );
  }

  return (
    <SocketContext.Provider value={store}>
      <div class={`board${store.offline.value ? ' is-stale' : ''}`} lang={lang.value} data-testid="board">
        <OfflineBanner />
        <header class="board-head">
          <div class="board-head__brand">
            <span class="hh-emblem board-emblem" aria-hidden="true">
              ★
            </span>
            <div>
              <div class="board-head__hall">{live?.board.hall.name ?? ''}</div>
              <h1>{t('title')}</h1>
            </div>
          </div>
          <div class="board-head__side">
            {live ? <span class="board-head__updated">{t('updated', { time: formatTime(live.board.at, { seconds: true }) })}</span> : null}
            <Clock seconds />
            <LanguageSwitch />
            <a class="board-head__out" href="/staff/#figures" data-testid="board-figures">
              {lang.value === 'en' ? 'Figures' : 'Báo cáo số liệu'}
            </a>
            <button type="button" class="board-head__out" onClick={onSignOut} title={t('logout')}>
              {userName ? `${userName} · ` : ''}
              {t('logout')}
            </button>
          </div>
        </header>
        {live ? <BoardBody live={live} api={api} /> : <div class="hh-loading board-loading">…</div>}
      </div>
    </SocketContext.Provider>
  );
}

function BoardBody({ live, api }: { live: Live; api: ApiClient }) {
  const now = useNow() + live.skew;
  const { board } = live;
  const since = (iso: string | null) => (iso ? Math.max(0, (now - Date.parse(iso)) / 1000) : null);
  const longest = board.services.reduce<number | null>((m, s) => {
    const w = since(s.oldestWaitingSince);
    return w === null ? m : Math.max(m ?? 0, w);
  }, null);
  const sat = board.satisfaction;
  const serviceName = new Map(board.services.map((s) => [s.id, localized(s.name, s.nameEn)]));

  return (
    <main class="board-body">
      <section class="board-kpis">
        <Kpi label={t('issued')} value={board.totals.issued} />
        <Kpi label={t('served')} value={board.totals.served} />
        <Kpi label={t('noShow')} value={board.totals.noShow} />
        <Kpi label={t('waiting')} value={board.totals.waiting} tone={board.totals.waiting > 0 ? 'info' : undefined} />
        <Kpi label={t('longest')} value={longest === null ? '–' : formatDuration(longest * 1000)} tone={board.services.some((s) => s.breached) ? 'bad' : undefined} testid="kpi-longest" />
        <Kpi label={t('avgWait')} value={minutes(board.totals.avgWaitSeconds)} sub={`${t('medianP90')}: ${minutes(board.totals.medianWaitSeconds)} / ${minutes(board.totals.p90WaitSeconds)}`} />
        <Kpi label={t('avgService')} value={minutes(board.totals.avgServiceSeconds)} />
        <Kpi
          label={t('satisfaction')}
          value={pct(sat.satisfiedShare)}
          sub={sat.ratings > 0 ? t('satisfactionDetail', { n: sat.ratings, mean: sat.mean?.toFixed(2) ?? '–', rated: pct(sat.ratedShare) }) : t('noRatings')}
          tone={sat.satisfiedShare !== null && sat.satisfiedShare < 0.8 ? 'bad' : 'good'}
          wide
          testid="kpi-satisfaction"
        />
      </section>
      <IndicatorsPanel api={api} query={`period=${new Date(now).toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' }).slice(0, 7)}`} refresh={Math.floor(now / 300_000)} compact />
      <div class="board-grid">
        <section class="board-panel board-services">
          <h2>{t('services')}</h2>
          <table class="board-table">
            <thead>
              <tr>
                <th>{t('service')}</th>
                <th>{t('colWaiting')}</th>
                <th>{t('colLongest')}</th>
                <th>{t('colAvg')}</th>
                <th>{t('colMedian')}</th>
                <th>{t('colP90')}</th>
                <th>{t('colService')}</th>
                <th>{t('colIssued')}</th>
                <th>{t('colCounters')}</th>
                <th>{t('colTarget')}</th>
              </tr>
            </thead>
            <tbody>
              {board.services.map((s) => (
                <ServiceRow key={s.id} s={s} waited={since(s.oldestWaitingSince)} />
              ))}
            </tbody>
          </table>
          <h2 class="board-chart__title">{t('chart')}</h2>
          <WaitChart chart={board.chart} />
        </section>
        <section class="board-panel board-counters">
          <h2>{t('counters')}</h2>
          <div class="counter-grid">
            {board.counters.map((c) => (
              <CounterCard key={c.id} c={c} now={now} serviceName={serviceName} />
            ))}
          </div>
        </section>
        <aside class="board-side">
          <section class="board-panel board-alerts">
            <h2>
              {t('alerts')} <span class="board-count">{board.alerts.length}</span>
            </h2>
            {board.alerts.length === 0 ? <p class="board-empty">{t('noAlerts')}</p> : null}
            <ul>
              {board.alerts.map((a, i) => (
                <AlertItem key={`${a.kind}-${a.serviceId ?? a.counterId ?? a.deviceId ?? i}-${i}`} a={a} />
              ))}
            </ul>
          </section>
          <Devices devices={board.devices} />
        </aside>
      </div>
    </main>
  );
}

function Kpi(props: { label: string; value: string | number; sub?: string; tone?: 'good' | 'bad' | 'info'; wide?: boolean; testid?: string }) {
  return (
    <div class={`kpi${props.tone ? ` kpi--${props.tone}` : ''}${props.wide ? ' kpi--wide' : ''}`} data-testid={props.testid}>
      <div class="kpi__label">{props.label}</div>
      <div class="kpi__value hh-num">{props.value}</div>
      {props.sub ? <div class="kpi__sub">{props.sub}</div> : null}
    </div>
  );
}

function ServiceRow({ s, waited }: { s: ServiceOnBoard; waited: number | null }) {
  const breached = s.maxWaitMinutes !== null && waited !== null && waited > s.maxWaitMinutes * 60;
  const noCounter = s.waiting > 0 && s.openCounters === 0;
  return (
    <tr class={`${breached ? 'is-breached' : ''}${noCounter ? ' is-uncovered' : ''}${s.active ? '' : ' is-inactive'}`}>
      <td class="board-table__name">
        {s.prefix ? <span class="board-prefix">{s.prefix}</span> : null}
        {localized(s.name, s.nameEn)}
      </td>
      <td class="num strong">{s.waiting}</td>
      <td class="num">{waited === null ? '–' : formatDuration(waited * 1000)}</td>
      <td class="num">{minutes(s.avgWaitSeconds)}</td>
      <td class="num">{minutes(s.medianWaitSeconds)}</td>
      <td class="num">{minutes(s.p90WaitSeconds)}</td>
      <td class="num">{minutes(s.avgServiceSeconds)}</td>
      <td class="num">
        {s.issued} / {s.served}
      </td>
      <td class="num">{s.openCounters}</td>
      <td class="num">{s.maxWaitMinutes === null ? '–' : `${s.maxWaitMinutes}′`}</td>
    </tr>
  );
}

function CounterCard({ c, now, serviceName }: { c: CounterOnBoard; now: number; serviceName: Map<number, string> }) {
  const statusLabel = c.status === 'open' ? t('open') : c.status === 'paused' ? t('paused') : t('closed');
  const idle = c.idleSince && c.waitingForIt > 0 ? Math.max(0, now - Date.parse(c.idleSince)) : null;
  const at = c.currentTicket?.calledAt ? Math.max(0, now - Date.parse(c.currentTicket.calledAt)) : null;
  return (
    <div class={`counter counter--${c.status}${idle !== null && idle > 120_000 ? ' counter--idle' : ''}`} data-counter={c.number}>
      <div class="counter__top">
        <span class="counter__no">{c.number}</span>
        <span class={`counter__status counter__status--${c.status}`}>{statusLabel}</span>
      </div>
      <div class="counter__name">{c.name}</div>
      <div class="counter__staff">{c.staff ? c.staff.name : t('noStaff')}</div>
      {c.currentTicket ? (
        <div class="counter__ticket">
          <strong class="hh-num">{c.currentTicket.number}</strong>
          <span class="counter__elapsed hh-num">{at === null ? '' : formatDuration(at)}</span>
          <span class="counter__service">{serviceName.get(c.currentTicket.serviceId) ?? ''}</span>
        </div>
      ) : (
        <div class="counter__ticket counter__ticket--none">{idle !== null ? t('idle', { d: formatDuration(idle) }) : '—'}</div>
      )}
      <div class="counter__foot">{t('servedToday', { n: c.served })}</div>
    </div>
  );
}

function AlertItem({ a }: { a: BoardAlert }) {
  return (
    <li class={`alert alert--${a.severity} alert--${a.kind}`}>
      <span class="alert__dot" aria-hidden="true" />
      <span>{lang.value === 'en' ? a.messageEn : a.message}</span>
    </li>
  );
}

function Devices({ devices }: { devices: DeviceOnBoard[] }) {
  const online = devices.filter((d) => d.online).length;
  const troubled = devices.filter((d) => !d.online || d.faults.length > 0);
  return (
    <section class="board-panel board-devices">
      <h2>
        {t('devices')} <span class="board-count">{t('devicesOnline', { online, total: devices.length })}</span>
      </h2>
      <ul>
        {devices.map((d) => (
          <li key={d.id} class={`device${d.online ? ' device--online' : ' device--offline'}${d.faults.length ? ' device--fault' : ''}`} title={d.faults.map((f) => f.message).join(', ')}>
            <span class="device__dot" aria-hidden="true" />
            <span class="device__name">{d.name}</span>
          </li>
        ))}
      </ul>
      {troubled.length === 0 ? null : <span class="hh-sr-only">{troubled.map((d) => d.name).join(', ')}</span>}
    </section>
  );
}
