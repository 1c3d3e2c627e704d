import { useEffect, useState } from 'preact/hooks';
import type { HallSettingKey, HallWithSettings, UpdateHallBody } from '../../../protocol/index.js';
import { useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { Field, Flash, Loading, SectionHead, SettingsForm, intOf, useAction, useFlash, useReloadKey, type SectionProps } from './parts.js';

type NumberKey =
  | 'priorityInterleave'
  | 'priorityAgeingMinutes'
  | 'maxRequeue'
  | 'idleAlertMinutes'
  | 'ratingWindowMinutes'
  | 'ratingOfflineGraceHours'
  | 'rankingMinRatings'
  | 'unprintedTicketMinutes'
  | 'kioskTicketsPerMinute';

/** Bounds of the number settings (as the hub checks them) and their defaults shown as hints. */
const NUMBERS: Record<NumberKey, { min: number; max: number; fallback: number }> = {
  priorityInterleave: { min: 1, max: 20, fallback: 2 },
  priorityAgeingMinutes: { min: 1, max: 480, fallback: 30 },
  maxRequeue: { min: 0, max: 10, fallback: 1 },
  idleAlertMinutes: { min: 1, max: 240, fallback: 2 },
  ratingWindowMinutes: { min: 1, max: 10080, fallback: 30 },
  ratingOfflineGraceHours: { min: 0, max: 168, fallback: 24 },
  rankingMinRatings: { min: 1, max: 1000, fallback: 5 },
  unprintedTicketMinutes: { min: 1, max: 120, fallback: 10 },
  kioskTicketsPerMinute: { min: 0, max: 600, fallback: 20 },
};

type Form = { name: string } & Record<HallSettingKey, string>;

function formOf(h: HallWithSettings): Form {
  const s = h.settings;
  return {
    name: h.name,
    priorityInterleave: String(s.priorityInterleave),
    priorityAgeingMinutes: String(s.priorityAgeingMinutes),
    maxRequeue: String(s.maxRequeue),
    agencyId: s.agencyId ?? '',
    closingTime: s.closingTime,
    idleAlertMinutes: String(s.idleAlertMinutes),
    ratingWindowMinutes: String(s.ratingWindowMinutes),
    ratingOfflineGraceHours: String(s.ratingOfflineGraceHours),
    ticketFooter: s.ticketFooter,
    rankingMinRatings: String(s.rankingMinRatings),
    openingTime: s.openingTime ?? '',
    unprintedTicketMinutes: String(s.unprintedTicketMinutes),
    displayLanguages: s.displayLanguages.join(','),
    kioskTicketsPerMinute: String(s.kioskTicketsPerMinute),
  };
}

/** The hall's name and settings: one form, saved with one PATCH of what changed. */
export function HallSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const load = useLoad(() => api.get<HallWithSettings>('/hall/settings'), [reloadKey]);
  const [form, setForm] = useState<Form | null>(null);
  const flash = useFlash();
  const action = useAction();

  useEffect(() => {
    if (load.data) setForm(formOf(load.data));
  }, [load.data]);

  const set = (key: keyof Form) => (e: Event) => setForm((f) => (f ? { ...f, [key]: (e.currentTarget as HTMLInputElement).value } : f));

  function body(hall: HallWithSettings, f: Form): UpdateHallBody | string {
    const out: UpdateHallBody = {};
    const settings: NonNullable<UpdateHallBody['settings']> = {};
    const reset: HallSettingKey[] = [];
    if (!f.name.trim()) return t('required', { field: t('hall_name').toLowerCase() });
    if (f.name.trim() !== hall.name) out.name = f.name.trim();
    for (const key of Object.keys(NUMBERS) as NumberKey[]) {
      const { min, max } = NUMBERS[key];
      const n = intOf(f[key], min, max);
      if (n === null) return t('mustBeInt', { field: t(`set_${key}`), min, max });
      if (n !== hall.settings[key]) settings[key] = n;
    }
    if (!/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(f.closingTime)) return t('badTime');
    if (f.closingTime !== hall.settings.closingTime) settings.closingTime = f.closingTime;
    const opening = f.openingTime.trim();
    if (opening && !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(opening)) return t('badTime');
    if (opening !== (hall.settings.openingTime ?? '')) {
      if (opening) settings.openingTime = opening;
      else reset.push('openingTime');
    }
    if (f.displayLanguages !== hall.settings.displayLanguages.join(',')) settings.displayLanguages = f.displayLanguages === 'vi,en' ? ['vi', 'en'] : ['vi'];
    const agency = f.agencyId.trim();
    if (agency && !/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/.test(agency)) return t('badAgency');
    if (agency !== (hall.settings.agencyId ?? '')) {
      if (agency) settings.agencyId = agency;
      else reset.push('agencyId');
    }
    const footer = f.ticketFooter.trim();
    if (footer !== hall.settings.ticketFooter) {
      if (footer) settings.ticketFooter = footer;
      else reset.push('ticketFooter');
    }
    if (Object.keys(settings).length) out.settings = settings;
    if (reset.length) out.reset = reset;
    return out;
  }

  async function save(hall: HallWithSettings, f: Form) {
    const b = body(hall, f);
    if (typeof b === 'string') return action.setError(b);
    if (!Object.keys(b).length) return action.setError(t('nothingChanged'));
    const saved = await action.run(() => api.patch<HallWithSettings>('/hall', b));
    if (saved) {
      setForm(formOf(saved));
      load.reload();
      flash.show(t('hall_saved'));
    }
  }

  const numberField = (f: Form, key: NumberKey, hint?: string) => (
    <Field label={t(`set_${key}`)} hint={[hint, t('defaultIs', { value: NUMBERS[key].fallback })].filter(Boolean).join(' ')}>
      <input name={key} type="number" inputMode="numeric" min={NUMBERS[key].min} max={NUMBERS[key].max} value={f[key]} onInput={set(key)} disabled={!canEdit} />
    </Field>
  );

  return (
    <section class="admin-section" data-testid="section-hall">
      <SectionHead title={t('hall_title')} hint={t('hall_hint')} />
      <Flash flash={flash} />
      <Loading load={load}>
        {(hall) =>
          form ? (
            <SettingsForm action={action} canEdit={canEdit} saveTestId="hall-save" onSubmit={() => void save(hall, form)}>
              <div class="admin-grid">
                <Field label={t('hall_name')} wide>
                  <input name="name" value={form.name} onInput={set('name')} disabled={!canEdit} maxLength={200} />
                </Field>
                <dl class="admin-facts admin-field--wide">
                  <div>
                    <dt>{t('hall_code')}</dt>
                    <dd>{hall.code}</dd>
                  </div>
                  <div>
                    <dt>{t('hall_timezone')}</dt>
                    <dd>{hall.timezone}</dd>
                  </div>
                  <div>
                    <dt>{t('hall_day')}</dt>
                    <dd>{hall.day.split('-').reverse().join('/')}</dd>
                  </div>
                </dl>
              </div>
              <fieldset class="admin-fieldset">
                <legend>{t('hall_queue')}</legend>
                <div class="admin-grid">
                  {numberField(form, 'priorityInterleave', t('set_priorityInterleave_hint'))}
                  {numberField(form, 'priorityAgeingMinutes')}
                  {numberField(form, 'maxRequeue', t('set_maxRequeue_hint'))}
                  {numberField(form, 'kioskTicketsPerMinute', t('set_kioskTicketsPerMinute_hint'))}
                </div>
              </fieldset>
              <fieldset class="admin-fieldset">
                <legend>{t('hall_dossiers')}</legend>
                <div class="admin-grid">
                  <Field label={t('set_agencyId')} hint={t('set_agencyId_hint')}>
                    <input name="agencyId" value={form.agencyId} onInput={set('agencyId')} disabled={!canEdit} maxLength={40} spellcheck={false} />
                  </Field>
                  <Field label={t('set_closingTime')} hint={`${t('set_closingTime_hint')} ${t('defaultIs', { value: '17:00' })}`}>
                    <input name="closingTime" value={form.closingTime} onInput={set('closingTime')} disabled={!canEdit} maxLength={5} placeholder="17:00" inputMode="numeric" />
                  </Field>
                </div>
              </fieldset>
              <fieldset class="admin-fieldset">
                <legend>{t('hall_ticket')}</legend>
                <Field label={t('set_ticketFooter')} hint={t('set_ticketFooter_hint')} wide>
                  <input name="ticketFooter" value={form.ticketFooter} onInput={set('ticketFooter')} disabled={!canEdit} maxLength={200} />
                </Field>
                <div class="admin-grid">
                  <Field label={t('set_openingTime')} hint={t('set_openingTime_hint')}>
                    <input name="openingTime" value={form.openingTime} onInput={set('openingTime')} disabled={!canEdit} maxLength={5} placeholder="07:30" inputMode="numeric" />
                  </Field>
                  {numberField(form, 'unprintedTicketMinutes')}
                  <Field label={t('set_displayLanguages')}>
                    <select name="displayLanguages" value={form.displayLanguages} onChange={set('displayLanguages')} disabled={!canEdit}>
                      <option value="vi">{t('set_displayLanguages_vi')}</option>
                      <option value="vi,en">{t('set_displayLanguages_vien')}</option>
                    </select>
                  </Field>
                </div>
              </fieldset>
              <fieldset class="admin-fieldset">
                <legend>{t('hall_ratings')}</legend>
                <div class="admin-grid">
                  {numberField(form, 'ratingWindowMinutes')}
                  {numberField(form, 'ratingOfflineGraceHours')}
                  {numberField(form, 'idleAlertMinutes')}
                  {numberField(form, 'rankingMinRatings')}
                </div>
              </fieldset>
            </SettingsForm>
          ) : null
        }
      </Loading>
    </section>
  );
}
