import { useState } from 'preact/hooks';
import type { Counter, CreateUserBody, Role, UpdateUserBody, User } from '../../../protocol/index.js';
import { Button, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { ActionCell, AddButton, AdminTable, Dialog, Field, Flash, SectionHead, useAction, useEditor, useFlash, useReloadKey, type SectionProps } from './parts.js';

const ROLES: readonly Role[] = ['staff', 'manager', 'admin'];
const USERNAME = /^[a-zA-Z0-9._-]{2,64}$/;

function UserDialog(p: { initial: User | null; me: number; openCounter: number | null; onClose: () => void; onSaved: (u: User, created: boolean) => void; onRevoked: (n: number) => void; onUnlocked: () => void }) {
  const u = p.initial;
  const [username, setUsername] = useState(u?.username ?? '');
  const [name, setName] = useState(u?.name ?? '');
  const [title, setTitle] = useState(u?.title ?? '');
  const [role, setRole] = useState<Role>(u?.role ?? 'staff');
  const [active, setActive] = useState(u?.active ?? true);
  const [password, setPassword] = useState('');
  const action = useAction();
  const own = u !== null && u.id === p.me;

  async function submit() {
    if (!u && !USERNAME.test(username.trim())) return action.setError(t('badUsername'));
    if (!name.trim()) return action.setError(t('required', { field: t('usr_nameField') }));
    if ((!u || password) && password.length < 8) return action.setError(t('shortPassword'));
    if (!u) {
      const body: CreateUserBody = { username: username.trim(), name: name.trim(), role, password };
      if (title.trim()) body.title = title.trim();
      const created = await action.run(() => api.post<User>('/users', body));
      if (created) p.onSaved(created, true);
      return;
    }
    const body: UpdateUserBody = {};
    if (name.trim() !== u.name) body.name = name.trim();
    if (title.trim() !== (u.title ?? '')) body.title = title.trim();
    if (role !== u.role) body.role = role;
    if (active !== u.active) body.active = active;
    if (password) body.password = password;
    if (!Object.keys(body).length) return p.onSaved(u, false);
    const saved = await action.run(() => api.patch<User>(`/users/${u.id}`, body));
    if (saved) p.onSaved(saved, false);
  }

  async function unlock() {
    if (!u) return;
    const r = await action.run(() => api.delete<{ cleared: number }>(`/users/${u.id}/lock`));
    if (r) p.onUnlocked();
  }

  async function revoke() {
    if (!u) return;
    const r = await action.run(() => api.delete<{ revoked: number }>(`/users/${u.id}/sessions`));
    if (r) p.onRevoked(r.revoked);
  }

  return (
    <Dialog title={u ? t('usr_edit', { username: u.username }) : t('usr_new')} error={action.error} busy={action.busy} onCancel={p.onClose} onSubmit={() => void submit()} wide testId="user-dialog">
      <div class="admin-grid">
        <Field label={t('usr_username')} hint={u ? null : t('usr_username_hint')}>
          <input name="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} disabled={u !== null} maxLength={64} autoCapitalize="off" spellcheck={false} autoComplete="off" autoFocus={!u} />
        </Field>
        <Field label={t('usr_name')}>
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={120} autoFocus={u !== null} />
        </Field>
        <Field label={`${t('usr_title_field')} ${t('optional')}`}>
          <input name="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} maxLength={120} />
        </Field>
        <Field label={t('usr_role')}>
          <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role_${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={u ? t('usr_newPassword') : t('usr_password')} hint={u ? t('usr_newPassword_hint') : t('shortPassword')} wide>
          <input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} maxLength={256} autoComplete="new-password" />
        </Field>
      </div>
      {u ? (
        <div class="admin-userstate">
          <label class="staff-check admin-check">
            <input type="checkbox" name="active" checked={active} disabled={own} onChange={(e) => setActive(e.currentTarget.checked)} />
            {t('usr_activeField')}
          </label>
          {own ? <p class="admin-note">{t('usr_ownAccount')}</p> : null}
          {!own && p.openCounter !== null && u.active ? <p class="hh-alert hh-alert--warning">{t('usr_counterNotice', { n: p.openCounter })}</p> : null}
          {u.loginLocked ? (
            <Button size="sm" variant="secondary" onClick={() => void unlock()} disabled={action.busy} data-testid="clear-login-lock">
              {t('usr_unlock')}
            </Button>
          ) : null}
          {!own ? (
            <Button size="sm" variant="secondary" onClick={() => void revoke()} disabled={action.busy} data-testid="revoke-sessions">
              {t('usr_revoke')}
            </Button>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}

export function UsersSection({ canEdit, me }: SectionProps) {
  const reloadKey = useReloadKey();
  const users = useLoad(() => api.get<User[]>('/users'), [reloadKey]);
  const counters = useLoad(() => api.get<Counter[]>('/counters'), [reloadKey]);
  const flash = useFlash();
  const editor = useEditor<User>(flash);
  const openCounterOf = (userId: number) => counters.data?.find((c) => c.staff?.id === userId && c.status !== 'closed')?.number ?? null;

  return (
    <section class="admin-section" data-testid="section-users">
      <SectionHead title={t('usr_title')} hint={t('usr_hint')}>
        {canEdit ? <AddButton label={t('usr_add')} testId="add-user" onClick={() => editor.open('new')} /> : null}
      </SectionHead>
      <Flash flash={flash} />
      <AdminTable
        load={users}
        actions={canEdit}
        head={
          <>
            <th>{t('usr_username')}</th>
            <th>{t('usr_name')}</th>
            <th>{t('usr_title_field')}</th>
            <th>{t('usr_role')}</th>
            <th>{t('status')}</th>
            <th>{t('usr_counter')}</th>
          </>
        }
        row={(u) => {
          const counter = openCounterOf(u.id);
          return (
            <tr key={u.id} data-testid="user-row" data-username={u.username} class={u.active ? '' : 'is-muted'}>
              <td class="mono">{u.username}</td>
              <td class="strong">
                {u.name}
                {u.id === me ? <span class="admin-you"> ({t('usr_you')})</span> : null}
              </td>
              <td>{u.title ?? t('none')}</td>
              <td>
                <span class={`hh-badge ${u.role === 'admin' ? 'hh-badge--red' : u.role === 'manager' ? 'hh-badge--amber' : ''}`}>{t(`role_${u.role}`)}</span>
              </td>
              <td>
                <span class={`hh-badge ${u.active ? 'hh-badge--green' : 'hh-badge--gray'}`}>{u.active ? t('usr_active') : t('usr_disabled')}</span>
                {u.loginLocked ? (
                  <>
                    {' '}
                    <span class="hh-badge hh-badge--red" data-testid="user-locked">
                      {t('usr_locked')}
                    </span>
                  </>
                ) : null}
              </td>
              <td>{counter !== null ? t('usr_counterOpen', { n: counter }) : t('none')}</td>
              <ActionCell canEdit={canEdit} onClick={() => editor.open(u)} />
            </tr>
          );
        }}
      />
      {editor.editing ? (
        <UserDialog
          initial={editor.record}
          me={me}
          openCounter={editor.record ? openCounterOf(editor.record.id) : null}
          onClose={editor.close}
          onSaved={(u, created) => editor.done(created ? t('usr_created', { username: u.username }) : t('usr_saved', { username: u.username }), users.reload)}
          onRevoked={(n) => editor.done(t('usr_revoked', { n, name: editor.record?.name ?? '' }))}
          onUnlocked={() => editor.done(t('usr_unlocked', { username: editor.record?.username ?? '' }), users.reload)}
        />
      ) : null}
    </section>
  );
}
