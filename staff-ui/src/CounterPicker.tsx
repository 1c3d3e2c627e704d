import { useState } from 'preact/hooks';
import type { Counter, Service } from '../../protocol/index.js';
import { Button, errorMessage, localized } from '../../ui-kit/index.js';
import { t } from './messages.js';
import { api } from './session.js';

function statusBadge(status: Counter['status']) {
  switch (status) {
    case 'open':
      return <span class="hh-badge hh-badge--green">{t('status_open')}</span>;
    case 'paused':
      return <span class="hh-badge hh-badge--amber">{t('status_paused')}</span>;
    case 'closed':
      return <span class="hh-badge hh-badge--gray">{t('status_closed')}</span>;
  }
}

export function CounterPicker({ counters, services, me, onOpened }: { counters: Counter[]; services: Service[]; me: number; onOpened: (c: Counter) => void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = new Map(services.map((s) => [s.id, localized(s.name, s.nameEn)]));

  const open = async (c: Counter) => {
    setBusy(c.id);
    setError(null);
    try {
      onOpened(await api.action<Counter>(`/counters/${c.id}/open`));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <main class="staff-main staff-picker">
      <div class="staff-picker__head">
        <h1>{t('chooseCounter')}</h1>
        <p>{t('chooseCounterHint')}</p>
      </div>
      {error ? (
        <p class="hh-alert hh-alert--error" role="alert" data-testid="staff-error">
          {error}
        </p>
      ) : null}
      <div class="staff-picker__grid">
        {[...counters]
          .sort((a, b) => a.number - b.number)
          .map((c) => {
            const mine = c.staff?.id === me;
            const taken = c.staff !== null && !mine && c.status !== 'closed';
            return (
              <article key={c.id} class={`staff-counter hh-card ${taken ? 'is-taken' : ''}`} data-testid="counter-card" data-counter-number={c.number}>
                <div class="staff-counter__top">
                  <span class="staff-counter__number">{t('counterN', { n: c.number })}</span>
                  {statusBadge(c.status)}
                </div>
                <h2>{c.name}</h2>
                <p class="staff-counter__staff">
                  {c.staff && c.status !== 'closed' ? t('staffedBy', { name: mine ? `${c.staff.name} (${t('you')})` : c.staff.name }) : t('nobody')}
                </p>
                <p class="staff-counter__services">
                  <span>{t('services')}:</span> {c.serviceIds.map((id) => names.get(id) ?? `#${id}`).join(', ')}
                </p>
                <Button variant={mine ? 'success' : 'primary'} size="md" block disabled={taken || busy !== null} onClick={() => void open(c)}>
                  {taken ? t('takenCounter') : mine ? t('continueCounter') : t('openCounter')}
                </Button>
              </article>
            );
          })}
      </div>
    </main>
  );
}
