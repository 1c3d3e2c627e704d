import type { Indicator } from '../../../protocol/index.js';
import { t } from './figures-messages.js';

const show = (i: Indicator) => (i.value === null ? t('noValue') : `${i.value.toLocaleString('vi-VN')}${i.unit === '%' ? ' %' : ` ${i.unit}`}`);

/** The QĐ 766 indicators with their value, numerator/denominator and how each was computed. */
export function IndicatorList({ items }: { items: Indicator[] }) {
  return (
    <ul class="figures-indicators" data-testid="indicators">
      {items.map((i) => (
        <li key={i.code} data-testid={`indicator-${i.code}`}>
          <div class="figures-indicator__head">
            <span class="figures-indicator__code">{i.code}</span>
            <strong>{i.name}</strong>
            <span class={`figures-indicator__value hh-num${i.value === null ? ' is-none' : ''}`}>{show(i)}</span>
          </div>
          {i.numerator !== undefined && i.denominator !== undefined ? (
            <div class="figures-indicator__ratio hh-num">
              {i.numerator.toLocaleString('vi-VN')} / {i.denominator.toLocaleString('vi-VN')}
            </div>
          ) : null}
          <p class="figures-indicator__method">{i.method}</p>
          {i.parts && i.parts.length > 0 ? (
            <ul class="figures-indicator__parts">
              {i.parts.map((p) => (
                <li key={p.name}>
                  {p.name}: <span class="hh-num">{p.value.toLocaleString('vi-VN')}</span> {p.unit} ({p.count})
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
