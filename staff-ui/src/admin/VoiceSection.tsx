import { useEffect, useRef, useState } from 'preact/hooks';
import type { EffectiveVoiceSettings, UpdateVoiceSettingsBody, VoiceName, VoicePreviewBody } from '../../../protocol/index.js';
import { ApiError, Button, common, useLoad } from '../../../ui-kit/index.js';
import { api, session } from '../session.js';
import { t } from './messages.js';
import { ErrorLine, Field, Flash, Loading, SectionHead, SettingsForm, changed, intOf, useAction, useFlash, useReloadKey, type SectionProps } from './parts.js';

const VOICES: readonly VoiceName[] = ['vi', 'vi-vn-x-central', 'vi-vn-x-south'];

/** `POST /voice/preview` answers audio, not JSON: fetched here with the session's token. */
async function previewAudio(body: VoicePreviewBody): Promise<{ url: string; text: string }> {
  let res: Response;
  try {
    res = await fetch('/api/v1/voice/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.value?.token ?? ''}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', common('networkError'));
  }
  if (!res.ok) {
    const parsed = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, parsed?.error?.code ?? `http_${res.status}`, parsed?.error?.message ?? common('serverError', { status: res.status }));
  }
  const text = decodeURIComponent(res.headers.get('x-announcement-text') ?? '');
  return { url: URL.createObjectURL(await res.blob()), text };
}

export function VoiceSection({ canEdit }: SectionProps) {
  const reloadKey = useReloadKey();
  const load = useLoad(() => api.get<EffectiveVoiceSettings>('/voice/settings'), [reloadKey]);
  const [form, setForm] = useState<EffectiveVoiceSettings | null>(null);
  const [rate, setRate] = useState('150');
  const [sample, setSample] = useState({ number: 'A023', counter: '5' });
  const [audio, setAudio] = useState<{ url: string; text: string } | null>(null);
  const flash = useFlash();
  const save = useAction();
  const listen = useAction();
  const player = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    if (!load.data) return;
    setForm(load.data);
    setRate(String(load.data.voiceRate));
  }, [load.data]);
  useEffect(() => () => {
    if (audio) URL.revokeObjectURL(audio.url);
  }, [audio]);
  useEffect(() => {
    if (audio) player.current?.play().catch(() => undefined);
  }, [audio]);

  function current(f: EffectiveVoiceSettings): EffectiveVoiceSettings | string {
    const r = intOf(rate, 80, 320);
    if (r === null) return t('mustBeInt', { field: t('voice_rate'), min: 80, max: 320 });
    if (!f.voiceTemplate.includes('{number}') || !f.voiceRecallTemplate.includes('{number}')) return t('voice_badTemplate');
    return { ...f, voiceTemplate: f.voiceTemplate.trim(), voiceRecallTemplate: f.voiceRecallTemplate.trim(), voiceRate: r };
  }

  async function submit(saved: EffectiveVoiceSettings, f: EffectiveVoiceSettings) {
    const next = current(f);
    if (typeof next === 'string') return save.setError(next);
    const diff: UpdateVoiceSettingsBody = changed(saved, next);
    if (!Object.keys(diff).length) return save.setError(t('nothingChanged'));
    const r = await save.run(() => api.request<EffectiveVoiceSettings>('PUT', '/voice/settings', diff));
    if (r) {
      flash.show(t('voice_saved'));
      load.reload();
    }
  }

  async function preview(f: EffectiveVoiceSettings) {
    const next = current(f);
    if (typeof next === 'string') return listen.setError(next);
    const counterNumber = intOf(sample.counter, 1, 9999);
    if (!/^[A-Z]{0,3}[0-9]{1,6}$/.test(sample.number) || counterNumber === null) return listen.setError(t('voice_badNumber'));
    const r = await listen.run(() => previewAudio({ number: sample.number, counterNumber, settings: next }));
    if (r) setAudio(r);
  }

  const set = <K extends keyof EffectiveVoiceSettings>(key: K, value: EffectiveVoiceSettings[K]) => setForm((f) => (f ? { ...f, [key]: value } : f));

  return (
    <section class="admin-section" data-testid="section-voice">
      <SectionHead title={t('voice_title')} hint={t('voice_hint')} />
      <Flash flash={flash} />
      <Loading load={load}>
        {(saved) =>
          form ? (
            <SettingsForm action={save} canEdit={canEdit} saveTestId="voice-save" onSubmit={() => void submit(saved, form)}>
              <label class="staff-check admin-check">
                <input type="checkbox" name="voiceEnabled" checked={form.voiceEnabled} disabled={!canEdit} onChange={(e) => set('voiceEnabled', e.currentTarget.checked)} />
                {t('voice_enabled')}
              </label>
              <div class="admin-grid">
                <Field label={t('voice_template')} hint={t('voice_template_hint')} wide>
                  <input name="voiceTemplate" value={form.voiceTemplate} disabled={!canEdit} maxLength={400} onInput={(e) => set('voiceTemplate', e.currentTarget.value)} />
                </Field>
                <Field label={t('voice_recallTemplate')} wide>
                  <input name="voiceRecallTemplate" value={form.voiceRecallTemplate} disabled={!canEdit} maxLength={400} onInput={(e) => set('voiceRecallTemplate', e.currentTarget.value)} />
                </Field>
                <Field label={t('voice_name')}>
                  <select name="voiceName" value={form.voiceName} disabled={!canEdit} onChange={(e) => set('voiceName', e.currentTarget.value as VoiceName)}>
                    {VOICES.map((v) => (
                      <option key={v} value={v}>
                        {t(`voice_name_${v}`)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('voice_rate')}>
                  <input name="voiceRate" type="number" inputMode="numeric" min={80} max={320} step={10} value={rate} disabled={!canEdit} onInput={(e) => setRate(e.currentTarget.value)} />
                </Field>
                <Field label={t('voice_reading')} wide>
                  <select name="voiceNumberReading" value={form.voiceNumberReading} disabled={!canEdit} onChange={(e) => set('voiceNumberReading', e.currentTarget.value as 'number' | 'digits')}>
                    <option value="number">{t('voice_reading_number')}</option>
                    <option value="digits">{t('voice_reading_digits')}</option>
                  </select>
                </Field>
                <Field label={t('voice_zeroTens')}>
                  <select name="voiceZeroTens" value={form.voiceZeroTens} disabled={!canEdit} onChange={(e) => set('voiceZeroTens', e.currentTarget.value as 'linh' | 'lẻ')}>
                    <option value="linh">một trăm linh năm</option>
                    <option value="lẻ">một trăm lẻ năm</option>
                  </select>
                </Field>
                <Field label={t('voice_four')}>
                  <select name="voiceFour" value={form.voiceFour} disabled={!canEdit} onChange={(e) => set('voiceFour', e.currentTarget.value as 'tư' | 'bốn')}>
                    <option value="tư">hai mươi tư</option>
                    <option value="bốn">hai mươi bốn</option>
                  </select>
                </Field>
                <Field label={t('voice_thousand')}>
                  <select name="voiceThousand" value={form.voiceThousand} disabled={!canEdit} onChange={(e) => set('voiceThousand', e.currentTarget.value as 'nghìn' | 'ngàn')}>
                    <option value="nghìn">một nghìn</option>
                    <option value="ngàn">một ngàn</option>
                  </select>
                </Field>
              </div>
              <fieldset class="admin-fieldset admin-preview">
                <legend>{t('voice_preview')}</legend>
                <ErrorLine error={listen.error} />
                <div class="admin-preview__row">
                  <Field label={t('voice_previewNumber')}>
                    <input name="sampleNumber" value={sample.number} maxLength={9} onInput={(e) => setSample({ ...sample, number: e.currentTarget.value.toUpperCase() })} />
                  </Field>
                  <Field label={t('voice_previewCounter')}>
                    <input name="sampleCounter" type="number" inputMode="numeric" min={1} max={9999} value={sample.counter} onInput={(e) => setSample({ ...sample, counter: e.currentTarget.value })} />
                  </Field>
                  <Button variant="success" size="lg" onClick={() => void preview(form)} disabled={listen.busy} data-testid="voice-preview">
                    {listen.busy ? t('voice_previewing') : `▶ ${t('voice_preview')}`}
                  </Button>
                </div>
                {audio ? (
                  <div class="admin-preview__result">
                    <p data-testid="voice-preview-text">{t('voice_previewText', { text: audio.text })}</p>
                    <audio ref={player} src={audio.url} controls data-testid="voice-audio" />
                  </div>
                ) : null}
              </fieldset>
            </SettingsForm>
          ) : null
        }
      </Loading>
    </section>
  );
}
