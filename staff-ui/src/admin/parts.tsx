/** Building blocks every admin section shares: dialogs, fields, save state, error texts. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, Button, errorMessage, useSocketStore, type Loaded } from '../../../ui-kit/index.js';
import { t } from './messages.js';

export interface SectionProps {
  /** Admins change things; managers only look. */
  canEdit: boolean;
  /** The signed-in user's id (an admin cannot disable their own account). */
  me: number;
}

/** The text to show for a failed request: the hub's Vietnamese message, or a plain one for a schema refusal. */
export function adminError(err: unknown): string {
  if (err instanceof ApiError && err.status === 400 && err.code === 'bad_request') {
    const field = /^body\/([A-Za-z]+)/.exec(err.message)?.[1];
    if (field) return t('invalidData', { field });
    if (/^body /.test(err.message)) return t('invalidDataAny');
  }
  return errorMessage(err);
}

/** Re-fetch key: changes at every socket reconnect so lists catch up after the hub comes back. */
export function useReloadKey(): number {
  return Math.max(1, useSocketStore().connections.value);
}

/** A request in progress and its error, for a form or a row action. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (err) {
      setError(adminError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

/** The title row of a section, with its main action. */
export function SectionHead({ title, hint, children }: { title: string; hint: string; children?: ComponentChildren }) {
  return (
    <div class="admin-head">
      <div>
        <h1>{title}</h1>
        <p>{hint}</p>
      </div>
      {children ? <div class="admin-head__actions">{children}</div> : null}
    </div>
  );
}

/** A success line at the top of a section (announced to screen readers). */
export function Flash({ text, onClose }: { text: string | null; onClose: () => void }) {
  useEffect(() => {
    if (!text) return undefined;
    const timer = setTimeout(onClose, 8000);
    return () => clearTimeout(timer);
  }, [text]);
  if (!text) return null;
  return (
    <p class="hh-alert hh-alert--info admin-flash" role="status" data-testid="admin-flash">
      <span>{text}</span>
      <button type="button" class="admin-flash__close" aria-label={t('close')} onClick={onClose}>
        ×
      </button>
    </p>
  );
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p class="hh-alert hh-alert--error" role="alert" data-testid="admin-error">
      {error}
    </p>
  ) : null;
}

/** The list of a loaded request: loading line, error, or the content. */
export function Loading<T>({ load, children }: { load: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (load.data !== null) return <>{children(load.data)}</>;
  if (load.error) return <ErrorLine error={adminError(load.error)} />;
  return <p class="hh-loading">{t('loading')}</p>;
}

/** A labelled form field; `hint` under it. */
export function Field({ label, hint, wide, children }: { label: string; hint?: string | null; wide?: boolean; children: ComponentChildren }) {
  return (
    <label class={`staff-field admin-field${wide ? ' admin-field--wide' : ''}`}>
      <span>{label}</span>
      {children}
      {hint ? <small class="admin-field__hint">{hint}</small> : null}
    </label>
  );
}

/** A modal form: title, error, fields, Cancel / Save. Escape cancels. */
export function Dialog(p: {
  title: string;
  error: string | null;
  busy: boolean;
  onCancel: () => void;
  onSubmit?: () => void;
  submitLabel?: string;
  submitVariant?: 'primary' | 'danger';
  wide?: boolean;
  testId?: string;
  /** Replaces the Cancel / Save buttons. */
  footer?: ComponentChildren;
  children?: ComponentChildren;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') p.onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [p.onCancel]);
  return (
    <div class="staff-modal admin-modal" role="dialog" aria-modal="true" aria-label={p.title} data-testid={p.testId ?? 'admin-dialog'}>
      <form
        class={`staff-modal__card hh-card admin-dialog${p.wide ? ' admin-dialog--wide' : ''}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!p.busy) p.onSubmit?.();
        }}
      >
        <h2>{p.title}</h2>
        <ErrorLine error={p.error} />
        <div class="admin-dialog__body">{p.children}</div>
        <div class="staff-modal__actions">
          {p.footer ?? (
            <>
              <Button variant="secondary" onClick={p.onCancel} disabled={p.busy}>
                {p.onSubmit ? t('cancel') : t('close')}
              </Button>
              {p.onSubmit ? (
                <Button type="submit" variant={p.submitVariant ?? 'primary'} disabled={p.busy}>
                  {p.busy ? t('saving') : (p.submitLabel ?? t('save'))}
                </Button>
              ) : null}
            </>
          )}
        </div>
      </form>
    </div>
  );
}

/** Reads a whole number from a text field; null when empty or not within [min, max]. */
export function intOf(text: string, min: number, max: number): number | null {
  if (!/^\s*-?\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The fields of `next` that differ from `prev` (what a PATCH sends). */
export function changed<T extends object>(prev: T, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) out[key] = next[key];
  }
  return out;
}
