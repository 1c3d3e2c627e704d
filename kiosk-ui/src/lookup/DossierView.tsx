/** One dossier as the citizen sees it: status in large type, what to do next, dates, and the history. */
import { DOSSIER_STATUS_LABELS, eventStatusLabel, type DossierStatus, type PublicDossier } from '../../../protocol/dossiers.js';
import { formatDate, formatLongDate, formatTime, lang } from '../../../ui-kit/index.js';
import { t } from './messages.js';

type Tone = 'good' | 'info' | 'warn' | 'bad';

const TONE: Record<DossierStatus, Tone> = {
  received: 'info',
  processing: 'info',
  supplement_required: 'warn',
  payment_required: 'warn',
  result_ready: 'good',
  returned: 'good',
  rejected: 'bad',
  withdrawn: 'bad',
  suspended: 'bad',
};
const ICON: Record<Tone, string> = { good: '✓', info: '⌛', warn: '!', bad: '✕' };

export const statusLabel = (s: DossierStatus) => DOSSIER_STATUS_LABELS[s][lang.value];

/** The sentence telling the citizen what to do next. */
export function nextStep(d: PublicDossier): string {
  const place = d.pickupCounter ? t('counterN', { n: d.pickupCounter.number }) : t('oneStop');
  const due = `${formatLongDate(d.dueAt, lang.value)}`;
  const key = `next_${d.status}` as const;
  return t(key, { place, due });
}

const stamp = (iso: string) => `${formatDate(iso)} ${formatTime(iso)}`;

export function DossierView({ dossier: d }: { dossier: PublicDossier }) {
  const tone = TONE[d.status];
  const needsVisit = d.status === 'result_ready' || d.status === 'supplement_required' || d.status === 'payment_required';
  return (
    <article class="lk-dossier" data-testid="dossier" data-status={d.status}>
      <header class={`lk-status lk-status--${tone}`}>
        <span class="lk-status__icon" aria-hidden="true">
          {ICON[tone]}
        </span>
        <div class="lk-status__text">
          <h2 class="lk-status__label" data-testid="status">
            {statusLabel(d.status)}
          </h2>
          {d.overdue ? <span class="lk-badge-overdue">{t('overdue')}</span> : null}
        </div>
      </header>
      <p class={`lk-next lk-next--${tone}`} data-testid="next-step">
        {nextStep(d)}
        {needsVisit ? <span class="lk-next__hint">{t('bringReceipt')}</span> : null}
      </p>
      <dl class="lk-facts">
        <div>
          <dt>{t('code')}</dt>
          <dd class="lk-facts__code" data-testid="code">
            {d.code}
          </dd>
        </div>
        {d.applicantName !== null ? (
          <div>
            <dt>{t('applicant')}</dt>
            <dd data-testid="applicant">{d.applicantName}</dd>
          </div>
        ) : null}
        <div class="lk-facts__wide">
          <dt>{t('procedure')}</dt>
          <dd>{d.procedure}</dd>
        </div>
        <div>
          <dt>{t('receivedAt')}</dt>
          <dd>{stamp(d.receivedAt)}</dd>
        </div>
        <div>
          <dt>{t('dueAt')}</dt>
          <dd class={d.overdue ? 'is-overdue' : ''} data-testid="due">
            {t('dueAtValue', { date: formatLongDate(d.dueAt, lang.value), time: formatTime(d.dueAt) })}
          </dd>
        </div>
      </dl>
      {!d.withKey ? (
        <p class="lk-keyhint" data-testid="key-hint">
          {t('keyHint')}
        </p>
      ) : null}
      {d.timeline.length ? <section class="lk-timeline">
        <h3>{t('timeline')}</h3>
        <ol>
          {d.timeline.map((e, i) => (
            <li key={i} class={e.kind === 'notification' ? 'lk-timeline__item is-notice' : i === d.timeline.length - 1 ? 'lk-timeline__item is-last' : 'lk-timeline__item'}>
              <time>{stamp(e.at)}</time>
              <div>
                <strong>{e.kind === 'notification' ? t('notice') : eventStatusLabel(e.status, lang.value)}</strong>
                {e.note ? <span class="lk-timeline__note">{e.note}</span> : null}
                {e.reason ? <span class="lk-timeline__note">{e.reason}</span> : null}
                {e.missingPapers?.length ? (
                  <ul class="lk-timeline__papers">
                    {e.missingPapers.map((m) => (
                      <li key={m.name}>
                        {m.name}: {m.reason}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      </section> : null}
    </article>
  );
}
