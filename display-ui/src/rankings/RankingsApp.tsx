/**
 * /display/rankings: the public satisfaction rankings (no token), for a hall TV (1920×1080) and the web.
 * Address options: `?by=staff|counter|department`, `?period=day|week|month|quarter|year`, `?hall=CODE`,
 * `?tv=1` (rotates staff → counters → departments every 20 s and never shows the pointer).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, Clock, LanguageSwitch, OfflineBanner, createApi, formatDate, formatTime, lang, localized, useLoad } from '../../../ui-kit/index.js';
import { ratingLevels, type Period, type RankingItem, type Rankings } from '../../../protocol/ratings.js';
import { t } from './messages.js';
import { IndicatorsPanel } from '../figures/IndicatorsPanel.js';
import './rankings.css';

type By = 'staff' | 'counter' | 'department';
const BYS: readonly By[] = ['staff', 'counter', 'department'];
const PERIODS: readonly Period[] = ['day', 'week', 'month', 'quarter', 'year'];
const REFRESH_MS = 30_000;
const TV_ROTATE_MS = 20_000;
const LEVEL_COLORS: Record<number, string> = { 4: '#0f7a44', 3: '#4d9a2a', 2: '#d89a00', 1: '#c8102e' };

const byLabel = (by: By) => (by === 'staff' ? t('byStaff') : by === 'counter' ? t('byCounter') : t('byDepartment'));

function readParams(): { by: By; period: Period; hall: string | null; tv: boolean } {
  const q = new URLSearchParams(window.location.search);
  const by = q.get('by');
  const period = q.get('period');
  return {
    by: BYS.includes(by as By) ? (by as By) : 'staff',
    period: PERIODS.includes(period as Period) ? (period as Period) : 'month',
    hall: q.get('hall'),
    tv: q.get('tv') === '1',
  };
}

const pct = (share: number | null) => (share === null ? '–' : `${String(Math.round(share * 1000) / 10).replace('.', lang.value === 'vi' ? ',' : '.')}%`);
const num = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits).replace('.', lang.value === 'vi' ? ',' : '.'));
const day = (d: string) => formatDate(`${d}T12:00:00+07:00`);

export default function RankingsApp() {
  const initial = useMemo(readParams, []);
  const [by, setBy] = useState<By>(initial.by);
  const [period, setPeriod] = useState<Period>(initial.period);
  const [tick, setTick] = useState(0);
  const api = useMemo(() => createApi(), []);

  const query = `by=${by}&period=${period}${initial.hall ? `&hall=${encodeURIComponent(initial.hall)}` : ''}`;
  const loaded = useLoad(() => api.get<Rankings>(`/rankings?${query}`), [query, tick], 5000);

  // keep the address in step, refresh every minute, and rotate on a TV
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    q.set('by', by);
    q.set('period', period);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${q.toString()}`);
  }, [by, period]);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (!initial.tv) return undefined;
    const timer = setInterval(() => setBy((b) => BYS[(BYS.indexOf(b) + 1) % BYS.length]!), TV_ROTATE_MS);
    return () => clearInterval(timer);
  }, [initial.tv]);

  const data = loaded.data;
  const offline = loaded.error !== null && (!(loaded.error instanceof ApiError) || loaded.error.isNetwork || loaded.error.status >= 500);
  const ranked = data?.items.filter((i) => i.rank !== null) ?? [];
  const unranked = data?.items.filter((i) => i.rank === null) ?? [];

  return (
    <div class={`rk${initial.tv ? ' rk--tv' : ''}${offline ? ' is-stale' : ''}`} lang={lang.value}>
      <OfflineBanner offline={offline} />
      <header class="rk-head">
        <div class="rk-head__brand">
          <span class="hh-emblem rk-emblem" aria-hidden="true">★</span>
          <div>
            <div class="rk-head__hall">{data?.hall?.name ?? ''}</div>
            <h1>{t('title')}</h1>
            <div class="rk-head__sub">{t('subtitle')}</div>
          </div>
        </div>
        <div class="rk-head__side">
          <Clock />
          <LanguageSwitch />
        </div>
      </header>

      <nav class="rk-bar">
        <div class="rk-tabs" role="tablist" aria-label={t('name')}>
          {BYS.map((b) => (
            <button type="button" role="tab" key={b} aria-selected={b === by} class={b === by ? 'rk-tab is-on' : 'rk-tab'} onClick={() => setBy(b)}>
              {byLabel(b)}
            </button>
          ))}
        </div>
        <div class="rk-tabs rk-tabs--period" role="tablist">
          {PERIODS.map((p) => (
            <button type="button" role="tab" key={p} aria-selected={p === period} class={p === period ? 'rk-tab is-on' : 'rk-tab'} onClick={() => setPeriod(p)}>
              {t(p)}
            </button>
          ))}
        </div>
        <div class="rk-bar__range">
          {data ? t('range', { from: day(data.from), to: day(data.to) }) : ''}
          <a class="rk-csv" href={`/api/v1/rankings.xlsx?${query}`} download data-testid="rankings-xlsx">
            {t('csv')}
          </a>
        </div>
      </nav>

      <main class="rk-body">
        {!data ? (
          <div class="hh-loading">{t('loading')}</div>
        ) : data.items.length === 0 ? (
          <div class="rk-empty">{t('empty')}</div>
        ) : (
          <>
            <table class="rk-table" data-testid="rankings">
              <thead>
                <tr>
                  <th class="rk-col-rank">{t('rank')}</th>
                  <th class="rk-col-name">{byLabel(by)}</th>
                  <th class="rk-col-score">{t('score')}</th>
                  <th class="rk-col-levels">{t('levels')}</th>
                  <th class="rk-col-num">{t('satisfied')}</th>
                  <th class="rk-col-num">{t('ratings')}</th>
                  <th class="rk-col-num">{t('ratedShare')}</th>
                </tr>
              </thead>
              <tbody>
                {ranked.map((i) => (
                  <Row key={i.id} item={i} />
                ))}
                {unranked.length > 0 ? (
                  <tr class="rk-sep">
                    <td colSpan={7}>{t('unranked', { n: data.minRatings })}</td>
                  </tr>
                ) : null}
                {unranked.map((i) => (
                  <Row key={i.id} item={i} />
                ))}
              </tbody>
            </table>
          </>
        )}
      </main>

      {data ? <IndicatorsPanel api={api} query={`from=${data.from}&to=${data.to}${initial.hall ? `&hall=${encodeURIComponent(initial.hall)}` : ''}`} refresh={tick} /> : null}

      {data ? (
        <footer class="rk-foot">
          <div class="rk-foot__total">
            {t('total', { ratings: data.totals.ratings, satisfied: pct(data.totals.satisfiedShare), mean: num(data.totals.mean) })}
            <span class="rk-foot__updated">{t('updated', { time: formatTime(data.at) })}</span>
          </div>
          <p class="rk-foot__method" data-testid="rankings-method">
            {t('method', { min: data.minRatings })}
          </p>
        </footer>
      ) : null}
    </div>
  );
}

function Row({ item }: { item: RankingItem }) {
  const top = item.rank !== null && item.rank <= 3 ? ` rk-row--top${item.rank}` : '';
  const share = item.score === null ? 0 : Math.max(0, Math.min(1, (item.score - 1) / 3));
  return (
    <tr class={`rk-row${item.rank === null ? ' rk-row--unranked' : ''}${top}`} data-id={item.id}>
      <td class="rk-col-rank">
        <span class="rk-rank">{item.rank ?? '–'}</span>
      </td>
      <td class="rk-col-name">
        <div class="rk-name">{localized(item.name, item.nameEn)}</div>
        {item.title ? <div class="rk-title">{item.title}</div> : null}
      </td>
      <td class="rk-col-score">
        <div class="rk-score">
          <strong>{num(item.score)}</strong>
          <span>{t('of4')}</span>
        </div>
        <div class="rk-scorebar">
          <span style={{ width: `${share * 100}%` }} />
        </div>
      </td>
      <td class="rk-col-levels">
        <div class="rk-levels" title={ratingLevels.map((l) => `${lang.value === 'en' ? l.en : l.vi}: ${item.levels[l.level]}`).join(' · ')}>
          {item.ratings > 0
            ? ratingLevels.map((l) =>
                item.levels[l.level] > 0 ? <span key={l.level} style={{ flexGrow: item.levels[l.level], background: LEVEL_COLORS[l.level] }} /> : null,
              )
            : null}
        </div>
      </td>
      <td class="rk-col-num" data-label={t('satisfied').toLowerCase()}>
        {pct(item.satisfiedShare)}
      </td>
      <td class="rk-col-num" data-label={t('ratingsShort')}>
        {item.ratings}
      </td>
      <td class="rk-col-num">{pct(item.ratedShare)}</td>
    </tr>
  );
}
