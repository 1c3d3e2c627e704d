/** Which workspace a signed-in admin or manager sees: the admin pages or the counter console (kept per tab). */
import { signal } from '@preact/signals';
import type { StaffSession } from '../../../ui-kit/index.js';

export type WorkspaceMode = 'admin' | 'console';

const chosen = signal<{ userId: number; mode: WorkspaceMode } | null>(null);
const key = (userId: number) => `hallhub:staff:workspace:${userId}`;

/** Admins start on the admin pages, managers at the counter console; staff never see the admin pages. */
export function workspaceOf(user: StaffSession['user']): WorkspaceMode {
  if (user.role === 'staff') return 'console';
  const c = chosen.value;
  if (c && c.userId === user.id) return c.mode;
  // the live board's link to the figures page opens the admin pages there
  if (window.location.hash === '#figures') return 'admin';
  try {
    const stored = window.sessionStorage.getItem(key(user.id));
    if (stored === 'admin' || stored === 'console') return stored;
  } catch {
    // no storage: the role decides
  }
  return user.role === 'admin' ? 'admin' : 'console';
}

export function setWorkspace(userId: number, mode: WorkspaceMode): void {
  chosen.value = { userId, mode };
  try {
    window.sessionStorage.setItem(key(userId), mode);
  } catch {
    // not remembered across reloads
  }
}
