/** Building blocks every admin section shares: dialogs, fields, save state, error texts. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, Button, errorMessage, useSocketStore, type ButtonVariant, type Loaded } from '../../../ui-kit/index.js';
import { useEscape } from '../TransferDialog.js';
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
  return useSocketStore().reloads.value;
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

export type Action = ReturnType<typeof useAction>;

/** A section's success line: its text, and `show` to set it (null clears it). */
export interface FlashState {
  text: string | null;
  show: (text: string | null) => void;
}

export function useFlash(): FlashState {
  const [text, show] = useState<string | null>(null);
  return { text, show };
}

/**
 * The record a section's dialog is open on: `'new'` while creating one, null while closed (`record` is the
 * record itself, null for a new one). `done` closes the dialog, flashes what was done and reloads the list.
 */
export function useEditor<T = never>(flash: FlashState) {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  return {
    editing,
    record: editing === 'new' ? null : editing,
    open: (what: T | 'new') => setEditing(what),
    close: () => setEditing(null),
    done(text: string, reload?: () => void) {
      setEditing(null);
      flash.show(text);
      reload?.();
    },
  };
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

/** The "+ Add …" button at the head of a section. */
export function AddButton({ label, testId, onClick }: { label: string; testId: string; onClick: () => void }) {
  return (
    <Button onClick={onClick} data-testid={testId}>
      + {label}
    </Button>
  );
}

/** A success line at the top of a section (announced to screen readers); the staff console's flash look. */
export function Flash({ flash }: { flash: FlashState }) {
  const { text } = flash;
  const onClose = () => flash.show(null);
  useEffect(() => {
    if (!text) return undefined;
    const timer = setTimeout(onClose, 8000);
    return () => clearTimeout(timer);
  }, [text]);
  if (!text) return null;
  return (
    <p class="hh-alert hh-alert--info staff-flash admin-flash" role="status" data-testid="admin-flash">
      <span>{text}</span>
      <button type="button" class="staff-flash__close" aria-label={t('close')} onClick={onClose}>
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

/**
 * A section's list: the loading line or error, then a table of the rows (`head` their header cells, plus an
 * Actions column when `actions`), or the empty text.
 */
export function AdminTable<T>(p: { load: Loaded<T[]>; head: ComponentChildren; actions?: boolean; empty?: string; row: (item: T) => ComponentChildren }) {
  return (
    <Loading load={p.load}>
      {(rows) =>
        rows.length ? (
          <table class="admin-table hh-card">
            <thead>
              <tr>
                {p.head}
                {p.actions ? <th class="actions">{t('actions')}</th> : null}
              </tr>
            </thead>
            <tbody>{rows.map((item) => p.row(item))}</tbody>
          </table>
        ) : (
          <p class="admin-empty">{p.empty ?? t('empty')}</p>
        )
      }
    </Loading>
  );
}

/** A row's Actions cell, there only for those who may change things; empty without `onClick`. */
export function ActionCell({ canEdit, label, variant = 'secondary', onClick }: { canEdit: boolean; label?: string; variant?: ButtonVariant; onClick: (() => void) | null }) {
  if (!canEdit) return null;
  return (
    <td class="actions">
      {onClick ? (
        <Button size="sm" variant={variant} onClick={onClick}>
          {label ?? t('edit')}
        </Button>
      ) : null}
    </td>
  );
}

/** A section that is one settings form: its error, the fields, and Save for those who may change things. */
export function SettingsForm(p: { action: Action; canEdit: boolean; saveTestId: string; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form
      class="admin-form hh-card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        p.onSubmit();
      }}
    >
      <ErrorLine error={p.action.error} />
      {p.children}
      {p.canEdit ? (
        <div class="admin-form__actions">
          <Button type="submit" size="lg" disabled={p.action.busy} data-testid={p.saveTestId}>
            {p.action.busy ? t('saving') : t('save')}
          </Button>
        </div>
      ) : null}
    </form>
  );
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
  useEscape(p.onCancel);
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

/** Asks before something that cannot be undone: the question, then Cancel or the action itself (in red). */
export function ConfirmDialog(p: { title: string; action: Action; onCancel: () => void; onConfirm: () => void; testId: string; children: ComponentChildren }) {
  return (
    <Dialog title={p.title} error={p.action.error} busy={p.action.busy} onCancel={p.onCancel} onSubmit={p.onConfirm} submitLabel={p.title} submitVariant="danger" testId={p.testId}>
      <p>{p.children}</p>
    </Dialog>
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
