/**
 * Device and staff credentials in the browser.
 *
 * - A device (kiosk, display, lookup kiosk, tablet) is opened once as `…/?token=d_…`. `captureDeviceToken(app)`
 *   stores that token in localStorage under the app's own key and strips it from the address bar, so the
 *   token never stays visible on screen or in the history. Later loads read it back from localStorage.
 * - Staff log in with a password; the session (bearer token + user) lives in sessionStorage, so it ends
 *   with the browser tab.
 *
 * Every function takes an optional environment so unit tests can run without a DOM.
 */

/** The slice of `window` the token helpers touch. */
export interface TokenEnv {
  href: string;
  replaceUrl(url: string): void;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

function browserEnv(storage: 'local' | 'session'): TokenEnv {
  let store: TokenEnv['storage'] = null;
  try {
    store = storage === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    store = null; // storage disabled (private mode, policy): the token lives only in the URL
  }
  return {
    href: window.location.href,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    storage: store,
  };
}

const deviceKey = (app: string) => `hallhub:${app}:token`;

function read(storage: TokenEnv['storage'], key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: TokenEnv['storage'], key: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // quota or policy: nothing else to do
  }
}

/**
 * The device token of `app` (e.g. 'kiosk', 'display', 'lookup', 'board'): taken from `?token=` when present
 * (then remembered and removed from the URL), else the remembered one, else null.
 */
export function captureDeviceToken(app: string, env: TokenEnv = browserEnv('local')): string | null {
  const url = new URL(env.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    write(env.storage, deviceKey(app), fromUrl);
    url.searchParams.delete('token');
    env.replaceUrl(url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return read(env.storage, deviceKey(app));
}

/** The remembered device token of `app`, without looking at the URL. */
export function getDeviceToken(app: string, env: TokenEnv = browserEnv('local')): string | null {
  return read(env.storage, deviceKey(app));
}

/** Forgets the device token of `app` (e.g. after the hub revoked it). */
export function forgetDeviceToken(app: string, env: TokenEnv = browserEnv('local')): void {
  write(env.storage, deviceKey(app), null);
}

/** A signed-in staff member, as answered by `POST /api/v1/auth/login`. */
export interface StaffSession {
  token: string;
  expiresAt: string;
  user: { id: number; name: string; role: 'admin' | 'manager' | 'staff' };
}

const sessionKey = 'hallhub:staff:session';

function isSession(v: unknown): v is StaffSession {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<StaffSession>;
  return typeof s.token === 'string' && typeof s.expiresAt === 'string' && !!s.user && typeof s.user.id === 'number' && typeof s.user.name === 'string';
}

/** The staff session of this tab, or null when absent, malformed or expired. */
export function loadStaffSession(env: TokenEnv = browserEnv('session'), now = Date.now()): StaffSession | null {
  const raw = read(env.storage, sessionKey);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isSession(parsed)) return null;
    if (Date.parse(parsed.expiresAt) <= now) {
      write(env.storage, sessionKey, null);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
}

export function saveStaffSession(session: StaffSession, env: TokenEnv = browserEnv('session')): void {
  write(env.storage, sessionKey, JSON.stringify(session));
}

export function clearStaffSession(env: TokenEnv = browserEnv('session')): void {
  write(env.storage, sessionKey, null);
}
