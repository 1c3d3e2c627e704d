/**
 * Staff open the dossier's forms (Thông tư 03/2025/TT-VPCP) as PDF: fetched with the staff token, opened in a new tab
 * to print or save. The applicant's identity card, read by a keyboard-wedge scanner into the scan field or by the
 * counter's serial scanner (`cccd:scan`), fills the applicant's fields.
 */
import { useState } from 'preact/hooks';
import { FORM_TITLES, type DossierDetail, type FormNumber } from '../../../protocol/dossiers.js';
import { Button, errorMessage } from '../../../ui-kit/index.js';
import { t } from './messages.js';

/** Which forms apply to a dossier now (the hub answers 409 for the others). */
export function formsFor(d: Pick<DossierDetail, 'status' | 'timeline'>): FormNumber[] {
  const had = (s: string) => d.timeline.some((e) => e.status === s);
  const list: FormNumber[] = [];
  if (d.status !== 'rejected') list.push('01');
  if (had('supplement_required')) list.push('02');
  if (d.status === 'rejected') list.push('03');
  if (had('extended')) list.push('04');
  if (d.status === 'suspended') list.push('05');
  list.push('06');
  return list;
}

/** Fetches a PDF with the staff token and opens it in a new tab (or downloads it where pop-ups are blocked). */
export async function openPdf(token: string, path: string, filename: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const w = window.open(url, '_blank');
  if (!w) {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function FormButtons({ token, code, forms }: { token: string; code: string; forms: FormNumber[] }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="dp-forms" data-testid="dossier-forms">
      <span class="dp-forms__label">{t('forms')}</span>
      {forms.map((f) => (
        <Button
          key={f}
          size="sm"
          variant="secondary"
          data-testid={`form-${f}`}
          title={FORM_TITLES[f]}
          onClick={() => {
            setError(null);
            openPdf(token, `/dossiers/${encodeURIComponent(code)}/forms/${f}`, `mau-${f}-${code}.pdf`).catch((err: unknown) => setError(errorMessage(err)));
          }}
        >
          {t('formN', { n: f })}
        </Button>
      ))}
      {error ? (
        <span class="dp-forms__error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
