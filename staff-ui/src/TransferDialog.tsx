import { useEffect, useState } from 'preact/hooks';
import type { Counter, Service } from '../../protocol/index.js';
import { Button, localized } from '../../ui-kit/index.js';
import { t } from './messages.js';

export interface TransferDialogProps {
  number: string;
  currentServiceId: number;
  myCounterId: number;
  services: Service[];
  counters: Counter[];
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onConfirm: (serviceId: number, counterId: number | null) => void;
}

/** Calls `onEscape` when Escape is pressed (how a modal is cancelled; the admin dialogs use it too). */
export function useEscape(onEscape: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onEscape();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onEscape]);
}

/** Transfer the current ticket: pick a service, optionally one counter serving it. */
export function TransferDialog(p: TransferDialogProps) {
  const choices = p.services.filter((s) => s.active);
  const [serviceId, setServiceId] = useState<number | null>(choices.find((s) => s.id !== p.currentServiceId)?.id ?? null);
  const [counterId, setCounterId] = useState<number | null>(null);
  const targets = serviceId === null ? [] : p.counters.filter((c) => c.id !== p.myCounterId && c.serviceIds.includes(serviceId)).sort((a, b) => a.number - b.number);

  useEscape(p.onCancel);

  return (
    <div class="staff-modal" role="dialog" aria-modal="true" aria-labelledby="transfer-title">
      <form
        class="staff-modal__card hh-card"
        onSubmit={(e) => {
          e.preventDefault();
          if (serviceId !== null) p.onConfirm(serviceId, counterId);
        }}
      >
        <h2 id="transfer-title">{t('transferTitle', { number: p.number })}</h2>
        {p.error ? (
          <p class="hh-alert hh-alert--error" role="alert">
            {p.error}
          </p>
        ) : null}
        <label class="staff-field">
          <span>{t('transferService')}</span>
          <select
            name="service"
            value={serviceId === null ? '' : String(serviceId)}
            onChange={(e) => {
              setServiceId(Number(e.currentTarget.value));
              setCounterId(null);
            }}
          >
            {choices.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {localized(s.name, s.nameEn)}
              </option>
            ))}
          </select>
        </label>
        <label class="staff-field">
          <span>{t('transferCounter')}</span>
          <select name="counter" value={counterId === null ? '' : String(counterId)} onChange={(e) => setCounterId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
            <option value="">{t('anyCounter')}</option>
            {targets.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <div class="staff-modal__actions">
          <Button variant="secondary" onClick={p.onCancel}>
            {t('cancel')}
          </Button>
          <Button type="submit" disabled={p.busy || serviceId === null}>
            {t('transferConfirm')}
          </Button>
        </div>
      </form>
    </div>
  );
}
