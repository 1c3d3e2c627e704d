import { useEffect, useState } from 'preact/hooks';
import type { CatalogueItem, CatalogueResult } from '../../../protocol/index.js';
import { localized, useLoad, type ApiClient } from '../../../ui-kit/index.js';
import { t } from './messages.js';

const money = (n: number) => n.toLocaleString('vi-VN');

export interface CatalogueProps {
  api: ApiClient;
  /** `?hall=CODE` for the public page of one hall. */
  hall?: string | null;
  /** On the ticket kiosk: issues a ticket for the procedure's service. */
  onTakeNumber?: (item: CatalogueItem) => void;
  busy?: boolean;
  /** The public page names the hall above the title. */
  showHall?: boolean;
}

/** Search the hall's procedures as people type, by field; each shows papers, fee, time, where to submit. */
export function Catalogue({ api, hall, onTakeNumber, busy, showHall }: CatalogueProps) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [field, setField] = useState<string | null>(null);
  const [open, setOpen] = useState<CatalogueItem | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 120);
    return () => clearTimeout(timer);
  }, [q]);
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (field) params.set('field', field);
  if (hall) params.set('hall', hall);
  const result = useLoad(() => api.get<CatalogueResult>(`/procedures/search?${params.toString()}`), [query, field, hall]);
  const items = result.data?.items ?? [];

  return (
    <section class="catalogue" data-testid="catalogue">
      <div class="catalogue__head">
        {showHall && result.data ? <div class="catalogue__hall" data-testid="catalogue-hall">{result.data.hall.name}</div> : null}
        <h2>{t('title')}</h2>
        <p>{t('hint')}</p>
      </div>
      <label class="catalogue__search">
        <span class="hh-sr-only">{t('search')}</span>
        <input
          type="search"
          value={q}
          placeholder={t('placeholder')}
          autocomplete="off"
          data-testid="catalogue-search"
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
      </label>
      <div class="catalogue__fields" role="group" aria-label={t('field')}>
        <button type="button" class={`catalogue__chip ${field === null ? 'is-on' : ''}`} onClick={() => setField(null)}>
          {t('allFields')}
        </button>
        {(result.data?.fields ?? []).map((f) => (
          <button key={f} type="button" class={`catalogue__chip ${field === f ? 'is-on' : ''}`} data-testid="catalogue-field" onClick={() => setField(field === f ? null : f)}>
            {f}
          </button>
        ))}
      </div>
      {result.data === null && result.error !== null ? <p class="hh-alert hh-alert--warning">{t('failed')}</p> : null}
      <ul class="catalogue__list" aria-live="polite">
        {items.map((item) => (
          <li key={item.id}>
            <button type="button" class="catalogue__item" data-testid="catalogue-item" onClick={() => setOpen(item)}>
              <strong>{localized(item.name, item.nameEn)}</strong>
              <span>
                {item.field} · {item.processingDays === 0 ? t('sameDay') : t('days', { n: item.processingDays })} · {item.fee === 0 ? t('free') : t('feeValue', { n: money(item.fee) })}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {result.data !== null && items.length === 0 ? <p class="catalogue__none">{t('none')}</p> : null}
      {open ? <Detail item={open} onClose={() => setOpen(null)} {...(onTakeNumber ? { onTakeNumber } : {})} busy={busy ?? false} /> : null}
    </section>
  );
}

function Detail({ item, onClose, onTakeNumber, busy }: { item: CatalogueItem; onClose: () => void; onTakeNumber?: (item: CatalogueItem) => void; busy: boolean }) {
  const where = item.submitAt ?? (item.counters.length > 0 ? t('counters', { list: item.counters.join(', ') }) : t('oneStop'));
  return (
    <div class="catalogue__modal" role="dialog" aria-modal="true" aria-labelledby="catalogue-detail-title">
      <article class="catalogue__detail" data-testid="catalogue-detail">
        <h3 id="catalogue-detail-title">{localized(item.name, item.nameEn)}</h3>
        <dl>
          <dt>{t('field')}</dt>
          <dd>{item.field}</dd>
          <dt>{t('time')}</dt>
          <dd data-testid="detail-time">{item.processingDays === 0 ? t('sameDay') : t('days', { n: item.processingDays })}</dd>
          <dt>{t('fee')}</dt>
          <dd data-testid="detail-fee">{item.fee === 0 ? t('free') : t('feeValue', { n: money(item.fee) })}</dd>
          <dt>{t('papers')}</dt>
          <dd>
            {item.papers.length === 0 ? (
              t('noPapers')
            ) : (
              <ol data-testid="detail-papers">
                {item.papers.map((p) => (
                  <li key={p.name}>
                    {p.name} <small>({t('copies', { o: p.originals, c: p.copies })})</small>
                  </li>
                ))}
              </ol>
            )}
          </dd>
          <dt>{t('submitAt')}</dt>
          <dd data-testid="detail-where">{where}</dd>
          {item.serviceName ? (
            <>
              <dt>{t('kiosk')}</dt>
              <dd data-testid="detail-service">{t('kioskService', { name: item.serviceName })}</dd>
            </>
          ) : null}
        </dl>
        <div class="catalogue__actions">
          <button type="button" class="hh-btn hh-btn--xl" onClick={onClose}>
            {t('close')}
          </button>
          {onTakeNumber && item.serviceId !== null ? (
            <button type="button" class="hh-btn hh-btn--primary hh-btn--xl" data-testid="take-number" disabled={busy} onClick={() => onTakeNumber(item)}>
              {t('take')}
            </button>
          ) : null}
        </div>
      </article>
    </div>
  );
}
