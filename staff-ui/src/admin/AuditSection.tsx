import { useState } from 'preact/hooks';
import type { AuditItem } from '../../../protocol/index.js';
import { formatDate, formatTime, useLoad } from '../../../ui-kit/index.js';
import { api } from '../session.js';
import { t } from './messages.js';
import { AdminTable, SectionHead, useReloadKey, type SectionProps } from './parts.js';

const LOGIN_ACTIONS = ['LOGIN', 'LOGIN FAILED', 'LOGIN LOCKED', 'LOGIN REFUSED'] as const;
type LoginAction = (typeof LOGIN_ACTIONS)[number];
const isLogin = (a: string): a is LoginAction => (LOGIN_ACTIONS as readonly string[]).includes(a);

function actionLabel(action: string): string {
  if (!isLogin(action)) return action;
  switch (action) {
    case 'LOGIN':
      return t('aud_login');
    case 'LOGIN FAILED':
      return t('aud_loginFailed');
    case 'LOGIN LOCKED':
      return t('aud_loginLocked');
    case 'LOGIN REFUSED':
      return t('aud_loginRefused');
  }
}

const badgeOf = (e: AuditItem) => (e.action === 'LOGIN LOCKED' ? 'hh-badge--red' : e.status >= 400 ? 'hh-badge--amber' : 'hh-badge--green');

/** The hall's audit log (managers): who did what, from which address; logins, failed logins and locks included. */
export function AuditSection(_props: SectionProps) {
  const reloadKey = useReloadKey();
  const [loginsOnly, setLoginsOnly] = useState(false);
  const [tick, setTick] = useState(0);
  const load = useLoad(() => api.get<AuditItem[]>('/audit?limit=300'), [reloadKey, tick]);
  const shown = { ...load, data: load.data ? load.data.filter((e) => !loginsOnly || isLogin(e.action)) : load.data };

  return (
    <section class="admin-section" data-testid="section-audit">
      <SectionHead title={t('aud_title')} hint={t('aud_hint')}>
        <label class="staff-check admin-check">
          <input type="checkbox" name="loginsOnly" checked={loginsOnly} onChange={(e) => setLoginsOnly(e.currentTarget.checked)} data-testid="audit-logins-only" />
          {t('aud_loginsOnly')}
        </label>
        <button type="button" class="hh-btn hh-btn--secondary hh-btn--sm" onClick={() => setTick((n) => n + 1)}>
          {t('aud_refresh')}
        </button>
      </SectionHead>
      <AdminTable
        load={shown}
        empty={t('aud_empty')}
        head={
          <>
            <th>{t('aud_at')}</th>
            <th>{t('aud_who')}</th>
            <th>{t('aud_action')}</th>
            <th>{t('aud_result')}</th>
            <th>{t('aud_address')}</th>
          </>
        }
        row={(e) => (
          <tr key={e.id} data-testid="audit-row" data-action={e.action}>
            <td class="mono">
              {formatDate(e.at)} {formatTime(e.at, { seconds: true })}
            </td>
            <td class="strong">
              <span class="mono">{e.actorName ?? t('none')}</span>
              <span class="admin-note"> · {t(`aud_actor_${e.actorType === 'user' || e.actorType === 'device' || e.actorType === 'integration' ? e.actorType : 'anonymous'}`)}</span>
            </td>
            <td>
              {actionLabel(e.action)}
              {e.target ? <span class="admin-note mono"> {e.target}</span> : null}
            </td>
            <td>
              <span class={`hh-badge ${badgeOf(e)}`}>{e.status}</span>
            </td>
            <td class="mono" data-testid="audit-ip">
              {e.ip ?? t('none')}
            </td>
          </tr>
        )}
      />
    </section>
  );
}
