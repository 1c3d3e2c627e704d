import type { Indicator, Indicators } from '../../../protocol/index.js';
import { createTranslator, useLoad, type ApiClient } from '../../../ui-kit/index.js';
import './indicators.css';

const t = createTranslator({
  vi: { title: 'Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)', none: 'chưa có số liệu', period: '{from} – {to}' },
  en: { title: 'Service-quality indicators (Decision 766/QĐ-TTg)', none: 'no data yet', period: '{from} – {to}' },
});

const value = (i: Indicator) =>
  i.value === null ? t('none') : `${i.value.toLocaleString('vi-VN', { maximumFractionDigits: 2 })}${i.unit === '%' ? '%' : ` ${i.unit}`}`;

/** The QĐ 766 indicators of a period with how each was computed: on the live board and the public rankings page. */
export function IndicatorsPanel({ api, query, refresh = 0, compact = false }: { api: ApiClient; query: string; refresh?: number; compact?: boolean }) {
  const loaded = useLoad(() => api.get<Indicators>(`/indicators?${query}`), [query, refresh]);
  const data = loaded.data;
  if (!data) return null;
  return (
    <section class={`ind${compact ? ' ind--compact' : ''}`} data-testid="indicators-panel" aria-label={t('title')}>
      <h2 class="ind__title">{t('title')}</h2>
      <ul class="ind__list">
        {data.items.map((i) => (
          <li key={i.code} class="ind__item" data-testid={`indicator-${i.code}`}>
            <div class="ind__head">
              <span class="ind__code">{i.code}</span>
              <span class="ind__name">{i.name}</span>
            </div>
            <div class={`ind__value${i.value === null ? ' is-none' : ''}`}>{value(i)}</div>
            {i.numerator !== undefined && i.denominator !== undefined ? (
              <div class="ind__ratio">
                {i.numerator} / {i.denominator}
              </div>
            ) : null}
            {compact ? null : <p class="ind__method">{i.method}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
