import { signal } from '@preact/signals';
import type { LoginReply } from '../../protocol/index.js';
import { clearStaffSession, createApi, loadStaffSession, saveStaffSession, type StaffSession } from '../../ui-kit/index.js';
import { t } from './messages.js';

/** The signed-in staff member of this tab (sessionStorage), or null. */
export const session = signal<StaffSession | null>(loadStaffSession());
/** Why the last session ended, shown on the login form. */
export const signOutReason = signal<string | null>(null);

const counterKey = 'hallhub:staff:counter';

/** The counter this tab works at, remembered across reloads of the tab. */
export function rememberedCounter(): number | null {
  try {
    const v = Number(window.sessionStorage.getItem(counterKey));
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

export function rememberCounter(id: number | null): void {
  try {
    if (id === null) window.sessionStorage.removeItem(counterKey);
    else window.sessionStorage.setItem(counterKey, String(id));
  } catch {
    // not remembered: the counter list comes back after a reload
  }
}

export function endSession(reason: string | null = null): void {
  clearStaffSession();
  rememberCounter(null);
  signOutReason.value = reason;
  session.value = null;
}

/** The API as the signed-in staff member; a 401 ends the session. */
export const api = createApi({
  token: () => session.value?.token ?? null,
  onUnauthorized: () => {
    if (session.value) endSession(t('sessionExpired'));
  },
});

const anonymous = createApi();

export async function signIn(username: string, password: string): Promise<void> {
  const reply = await anonymous.post<LoginReply>('/auth/login', { username, password });
  const s: StaffSession = { token: reply.token, expiresAt: reply.expiresAt, user: reply.user };
  saveStaffSession(s);
  signOutReason.value = null;
  session.value = s;
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } catch {
    // the token is dropped here anyway
  }
  endSession(null);
}
