import { useState } from 'preact/hooks';
import { reportCellsOf, type DossierReport, type Hall, type Indicators } from '../../../protocol/index.js';
import { Button, errorMessage, useLoad } from '../../../ui-kit/index.js';
import { api, session } from '../session.js';
import { ErrorLine, SectionHead, useReloadKey, type SectionProps } from './parts.js';
import { t } from './figures-messages.js';
import { IndicatorList } from './IndicatorList.js';

type Kind = 'month' | 'quarter' | 'half' | 'year';

const periodOf = (kind: Kind, year: number, n: number) =>
  kind === 'year' ? `${year}` : kind === 'half' ? `${year}-H${n}` : kind === 'quarter' ? `${year}-Q${n}` : `${year}-${String(n).padStart(2, '0')}`;
const vnDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** Downloads a file the hub makes for the signed-in manager (the token goes in a header, not the address). */
async function download(path: string, name: string) {
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${session.value?.token ?? ''}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The manager's figures page: the period picker, Biểu 06 per field with CSV/XLSX, and the indicators. */
export function FiguresSection(_: SectionProps) {
  const reloadKey = useReloadKey();
  const hall = useLoad(() => api.get<Hall>('/hall'), [reloadKey]);
  const today = hall.data?.day ?? new Date().toISOString().slice(0, 10);
  const [kind, setKind] = useState<Kind>('month');
  const [year, setYear] = useState<number | null>(null);
  const [n, setN] = useState<number | null>(null);
  const y = year ?? Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const which = n ?? (kind === 'month' ? month : kind === 'quarter' ? Math.ceil(month / 3) : kind === 'half' ? Math.ceil(month / 6) : 1);
  const period = periodOf(kind, y, which);
  const report = useLoad(() => api.get<DossierReport>(`/reports/dossiers?period=${period}`), [period, reloadKey]);
  const indicators = useLoad(() => api.get<Indicators>(`/indicators?period=${period}`), [period, reloadKey]);
  const [error, setError] = useState<string | null>(null);
  const choices = kind === 'month' ? 12 : kind === 'quarter' ? 4 : kind === 'half' ? 2 : 0;
  const label = (i: number) => (kind === 'month' ? t('month', { n: i }) : kind === 'quarter' ? t('quarter', { n: i }) : t(i === 1 ? 'half1' : 'half2'));
  const r = report.data;
  const fileName = (ext: string) => `bieu06-${r?.hall.code ?? 'hall'}-${period}.${ext}`;
  const get = (ext: string) => {
    setError(null);
    download(`/reports/dossiers.${ext}?period=${period}`, fileName(ext)).catch((e: unknown) => setError(String(e)));
  };

  return (
    <section class="admin-section figures" data-testid="section-figures">
      <SectionHead title={t('title')} hint={t('hint')}>
        <Button variant="secondary" onClick={() => get('csv')} data-testid="figures-csv">
          {t('csv')}
        </Button>
        <Button variant="secondary" onClick={() => get('xlsx')} data-testid="figures-xlsx">
          {t('xlsx')}
        </Button>
      </SectionHead>
      <div class="figures-picker" data-testid="period-picker">
        <label>
          {t('kind')}
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value as Kind);
              setN(null);
            }}
          >
            {(['month', 'quarter', 'half', 'year'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}`)}
              </option>
            ))}
          </select>
        </label>
        {choices > 0 ? (
          <label>
            {t('which')}
            <select name="which" value={which} onChange={(e) => setN(Number(e.currentTarget.value))}>
              {Array.from({ length: choices }, (_, i) => (
                <option key={i} value={i + 1}>
                  {label(i + 1)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('year')}
          <select name="year" value={y} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {Array.from({ length: 8 }, (_, i) => Number(today.slice(0, 4)) - 6 + i).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        {r ? <span class="figures-range">{t('period', { from: vnDate(r.from), to: vnDate(r.to) })}</span> : null}
      </div>
      <ErrorLine error={error ?? (report.error ? errorMessage(report.error) : null)} />
      {r ? (
        <div class="figures-table-wrap">
          <table class="admin-table figures-table" data-testid="figures-table">
            <thead>
              <tr>
                <th rowSpan={2}>{t('stt')}</th>
                <th rowSpan={2}>{t('field')}</th>
                <th colSpan={4} class="group">{t('received')}</th>
                <th colSpan={4} class="group">{t('resolved')}</th>
                <th colSpan={3} class="group">{t('inProgress')}</th>
              </tr>
              <tr>
                {[t('total'), t('online'), t('inPerson'), t('carried'), t('total'), t('early'), t('onTime'), t('late'), t('total'), t('within'), t('overdue')].map((h, i) => (
                  <th key={i} class="num">
                    {h}
                    <small> ({i + 1})</small>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row, i) => (
                <tr key={row.field} data-testid="figures-row">
                  <td>{i + 1}</td>
                  <td class="strong">{row.field}</td>
                  {reportCellsOf(row).map((v, j) => (
                    <td key={j} class="num hh-num">
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
              <tr class="figures-total" data-testid="figures-total">
                <td />
                <td class="strong">{t('sum')}</td>
                {reportCellsOf(r.total).map((v, j) => (
                  <td key={j} class="num hh-num strong">
                    {v}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          {r.rows.length === 0 ? <p class="admin-empty">{t('empty')}</p> : null}
          {r.total.stopped > 0 ? <p class="admin-note">{t('stopped', { n: r.total.stopped })}</p> : null}
        </div>
      ) : null}
      <h2 class="figures-subtitle">{t('indicators')}</h2>
      {indicators.data ? <IndicatorList items={indicators.data.items} /> : <ErrorLine error={indicators.error ? errorMessage(indicators.error) : null} />}
    </section>
  );
}
